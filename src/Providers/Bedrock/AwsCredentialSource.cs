using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.Runtime.Credentials;

namespace Providers.Bedrock;

/// <summary>
/// Where the signing keys come from, decided once from the settings as Cline decides it: the access key settings when both
/// are set; a named profile when profile authentication is chosen; otherwise the AWS default credential chain
/// (environment variables, the <c>AWS_PROFILE</c> or default profile, web identity, container and instance roles).
/// Profiles and the chain are AWSSDK.Core's, which caches and refreshes temporary credentials.
/// </summary>
/// <remarks>
/// AWSSDK.Core loads the clients for assume-role and SSO profiles (AWSSDK.SecurityToken, AWSSDK.SSO) by name at run
/// time; this assembly does not reference them, so such a profile fails with the SDK's message naming the missing
/// package. Static-key, session-token, <c>credential_process</c>, environment, web-identity, container and instance
/// credentials need nothing more.
/// </remarks>
internal sealed class AwsCredentialSource
{
    private readonly string _providerId;
    private readonly AwsKeys? _static;
    private readonly string? _profile;
    private readonly string? _credentialsFile;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private AWSCredentials? _resolved;

    private AwsCredentialSource(string providerId, AwsKeys? staticKeys, string? profile, string? credentialsFile)
    {
        _providerId = providerId;
        _static = staticKeys;
        _profile = profile;
        _credentialsFile = credentialsFile;
    }

    /// <summary>What the source is, for messages: never a key.</summary>
    public string Description => _static is not null
        ? "the awsAccessKey / awsSecretKey settings"
        : _profile is not null ? $"the AWS profile '{_profile}'" : "the AWS default credential chain";

    public static AwsCredentialSource From(string providerId, BedrockOptions options, bool useProfile)
    {
        if (useProfile)
        {
            var name = !string.IsNullOrWhiteSpace(options.Profile)
                ? options.Profile.Trim()
                : Environment.GetEnvironmentVariable("AWS_PROFILE") is { Length: > 0 } fromEnvironment ? fromEnvironment : "default";
            return new AwsCredentialSource(providerId, null, name, options.SharedCredentialsFile);
        }

        if (!string.IsNullOrWhiteSpace(options.AccessKey) && !string.IsNullOrWhiteSpace(options.SecretKey))
        {
            var token = string.IsNullOrWhiteSpace(options.SessionToken) ? null : options.SessionToken.Trim();
            return new AwsCredentialSource(providerId, new AwsKeys(options.AccessKey.Trim(), options.SecretKey.Trim(), token), null, null);
        }

        return new AwsCredentialSource(providerId, null, null, null);
    }

    /// <summary>The keys for the next request.</summary>
    /// <exception cref="ProviderException">No credentials could be found; the message says where it looked and what to set.</exception>
    public async ValueTask<AwsKeys> GetAsync(CancellationToken cancellationToken)
    {
        if (_static is not null)
        {
            return _static;
        }

        try
        {
            var credentials = await ResolveAsync(cancellationToken).ConfigureAwait(false);
            var keys = await credentials.GetCredentialsAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
            return new AwsKeys(keys.AccessKey, keys.SecretKey, keys.UseToken ? keys.Token : null);
        }
        catch (Exception ex) when (ex is AmazonClientException or AmazonServiceException or InvalidOperationException or ArgumentException or IOException)
        {
            throw new ProviderException(
                _providerId,
                $"No AWS credentials from {Description}: {ex.Message} "
                + "Set awsAccessKey and awsSecretKey (and awsSessionToken for temporary keys), choose a profile with awsAuthentication 'profile' and awsProfile, "
                + "or use an Amazon Bedrock API key with awsAuthentication 'apikey' and awsBedrockApiKey.",
                isRetryable: false,
                innerException: ex)
            { ErrorType = "credentials_not_found" };
        }
    }

    private async ValueTask<AWSCredentials> ResolveAsync(CancellationToken cancellationToken)
    {
        if (_resolved is { } resolved)
        {
            return resolved;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_resolved is null)
            {
                if (_profile is not null)
                {
                    var chain = new CredentialProfileStoreChain(_credentialsFile);
                    if (!chain.TryGetAWSCredentials(_profile, out var fromProfile))
                    {
                        throw new AmazonClientException(
                            $"the profile '{_profile}' was not found (or has no usable credentials) in {_credentialsFile ?? "~/.aws/credentials or ~/.aws/config"}.");
                    }

                    _resolved = fromProfile;
                }
                else
                {
                    using var resolver = new DefaultAWSCredentialsIdentityResolver();
                    _resolved = await resolver.ResolveIdentityAsync(null!, cancellationToken).ConfigureAwait(false);
                }
            }

            return _resolved;
        }
        finally
        {
            _gate.Release();
        }
    }
}
