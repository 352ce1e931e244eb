using System.Runtime.CompilerServices;

namespace Providers.Cli.Tests;

internal static class NoCloudMetadata
{
    // Tests reach nothing but 127.0.0.1: should a test ever fall through to the AWS default credential chain, it must
    // not ask the instance-metadata service (a link-local address) for a role. Child processes inherit this.
    [ModuleInitializer]
    internal static void Disable() => Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");
}
