using Microsoft.Extensions.Options;

namespace Orian.Service.Configuration;

// The validators of the service's sections, generated at build time (no reflection at start-up): each
// applies its options type's data annotations and the rules the type states as IValidatableObject.
// Registered with AddValidatedOptions (Orian.Configuration.ValidatedOptions), the one way every section
// is checked.

[OptionsValidator]
internal sealed partial class ServerOptionsValidator : IValidateOptions<ServerOptions>;

[OptionsValidator]
internal sealed partial class TlsOptionsValidator : IValidateOptions<TlsOptions>;

[OptionsValidator]
internal sealed partial class IngressOptionsValidator : IValidateOptions<IngressOptions>;

[OptionsValidator]
internal sealed partial class AdminOptionsValidator : IValidateOptions<AdminOptions>;

[OptionsValidator]
internal sealed partial class PipelineOptionsValidator : IValidateOptions<PipelineOptions>;

[OptionsValidator]
internal sealed partial class AuthorisationOptionsValidator : IValidateOptions<AuthorisationOptions>;

[OptionsValidator]
internal sealed partial class OutboxOptionsValidator : IValidateOptions<OutboxOptions>;

[OptionsValidator]
internal sealed partial class OrchestratorOptionsValidator : IValidateOptions<OrchestratorOptions>;

[OptionsValidator]
internal sealed partial class CardDataOptionsValidator : IValidateOptions<CardDataOptions>;

[OptionsValidator]
internal sealed partial class TelemetryOptionsValidator : IValidateOptions<TelemetryOptions>;

[OptionsValidator]
internal sealed partial class RateLimitOptionsValidator : IValidateOptions<RateLimitOptions>;
