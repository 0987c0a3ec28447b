using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Orian.Configuration;

/// <summary>
/// Options whose rules depend on where the service runs: stricter outside Development (a secret that
/// must be configured there). The host sets <see cref="Development"/> before the options are validated;
/// implement it explicitly, so configuration binding never sees it and no setting can switch it.
/// </summary>
public interface IDevelopmentAware
{
    bool Development { get; set; }
}

/// <summary>
/// How every Orian options section is registered and checked: one way for all of them. A section is bound,
/// then checked at start-up (before any hosted service runs) by its source-generated
/// <c>[OptionsValidator]</c> validator, which applies the data annotations on its members and the rules an
/// annotation cannot say, which the options type states itself as <see cref="System.ComponentModel.DataAnnotations.IValidatableObject"/>
/// (across members, against the environment through <see cref="IDevelopmentAware"/>, or against another
/// section the host passes in a <c>PostConfigure</c>). Start-up stops with an
/// <see cref="OptionsValidationException"/> listing every failure, each naming its setting.
/// </summary>
public static class ValidatedOptions
{
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions, TValidator>(this IServiceCollection services, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>, new()
    {
        services.AddSingleton<IValidateOptions<TOptions>>(new SectionValidator<TOptions>(new TValidator(), section));
        var builder = services.AddOptions<TOptions>().BindConfiguration(section);
        if (typeof(IDevelopmentAware).IsAssignableFrom(typeof(TOptions)))
        {
            builder.PostConfigure<IHostEnvironment>((options, environment) => ((IDevelopmentAware)options).Development = environment.IsDevelopment());
        }

        return builder.ValidateOnStart();
    }

    /// <summary>A generated validator's failures with the setting's path in place of the type's name:
    /// "The field Orian:Ingress:MaxBodyBytes must be ...", what an operator sets, not a C# member.</summary>
    internal sealed class SectionValidator<TOptions>(IValidateOptions<TOptions> inner, string section) : IValidateOptions<TOptions>
        where TOptions : class
    {
        private readonly string _typeName = typeof(TOptions).Name + ".";

        public ValidateOptionsResult Validate(string? name, TOptions options)
        {
            var result = inner.Validate(name, options);
            return result.Failed
                ? ValidateOptionsResult.Fail(result.Failures!.Select(f => f.Replace(_typeName, section + ":", StringComparison.Ordinal)))
                : result;
        }
    }
}
