using Orian.Storage;

namespace Orian.Tests.Support;

/// <summary>Who a test's direct storage writes are made by.</summary>
internal static class Operators
{
    public static OperatorContext Test(DateTimeOffset at) => new("key_test", "test", at, null);
}
