namespace Providers.Bedrock;

/// <summary>How the <c>bedrock</c> provider authenticates (setting <c>awsAuthentication</c>, values as Cline writes them).</summary>
public enum AwsAuthentication
{
    /// <summary>SigV4 with the access key settings, or the AWS default credential chain when they are empty.</summary>
    Credentials,

    /// <summary>SigV4 with the credentials of a named profile of the shared AWS files (<c>awsProfile</c>).</summary>
    Profile,

    /// <summary>An Amazon Bedrock API key sent as a bearer token (<c>awsBedrockApiKey</c>); nothing is signed.</summary>
    ApiKey,
}

/// <summary>
/// Settings of the <c>bedrock</c> provider, under Cline's keys: <c>awsAccessKey</c>, <c>awsSecretKey</c>,
/// <c>awsSessionToken</c>, <c>awsRegion</c>, <c>awsAuthentication</c>, <c>awsBedrockApiKey</c>, <c>awsUseProfile</c>,
/// <c>awsProfile</c>, <c>awsUseCrossRegionInference</c>, <c>awsUseGlobalInference</c>, <c>awsBedrockUsePromptCache</c>,
/// <c>awsBedrockEndpoint</c>, and per mode <c>apiModelId</c>, <c>awsBedrockCustomSelected</c>,
/// <c>awsBedrockCustomModelBaseId</c>, <c>thinkingBudgetTokens</c>, <c>reasoningEffort</c>.
/// </summary>
public sealed class BedrockOptions : ProviderOptions
{
    /// <summary>The region used when <see cref="Region"/> is empty, as in Cline.</summary>
    public const string DefaultRegion = "us-east-1";

    /// <summary>The access key id (setting <c>awsAccessKey</c>). With <see cref="SecretKey"/> it takes precedence over the default chain.</summary>
    [SettingKey("awsAccessKey"), Secret]
    public string? AccessKey { get; set; }

    /// <summary>The secret access key (setting <c>awsSecretKey</c>).</summary>
    [SettingKey("awsSecretKey")]
    public string? SecretKey { get; set; }

    /// <summary>The session token of temporary credentials (setting <c>awsSessionToken</c>), sent as <c>X-Amz-Security-Token</c>.</summary>
    [SettingKey("awsSessionToken")]
    public string? SessionToken { get; set; }

    /// <summary>The AWS region (setting <c>awsRegion</c>), default <c>us-east-1</c>.</summary>
    [SettingKey("awsRegion")]
    public string Region { get; set; } = DefaultRegion;

    /// <summary>
    /// How to authenticate (setting <c>awsAuthentication</c>: <c>credentials</c>, <c>profile</c> or <c>apikey</c>).
    /// When unset, <see cref="UseProfile"/> chooses a profile, as in Cline; otherwise an <see cref="ApiKey"/> without an
    /// <see cref="AccessKey"/> chooses the API key, and anything else the credentials.
    /// </summary>
    [SettingKey("awsAuthentication")]
    public AwsAuthentication? Authentication { get; set; }

    /// <summary>An Amazon Bedrock API key (setting <c>awsBedrockApiKey</c>), used when <see cref="Authentication"/> is <c>apikey</c>.</summary>
    [EnvironmentVariable("AWS_BEARER_TOKEN_BEDROCK")]
    [SettingKey("awsBedrockApiKey")]
    public string? ApiKey { get; set; }

    /// <summary>Use a named profile (setting <c>awsUseProfile</c>); Cline's older switch, read when <see cref="Authentication"/> is unset.</summary>
    [SettingKey("awsUseProfile")]
    public bool UseProfile { get; set; }

    /// <summary>The profile of <c>~/.aws/credentials</c> / <c>~/.aws/config</c> (setting <c>awsProfile</c>); empty means <c>default</c> (or <c>AWS_PROFILE</c>).</summary>
    [SettingKey("awsProfile")]
    public string? Profile { get; set; }

    /// <summary>Prefix the model id with the region group's inference profile (<c>us.</c>, <c>eu.</c>, <c>apac.</c>, <c>jp.</c>) (setting <c>awsUseCrossRegionInference</c>).</summary>
    [SettingKey("awsUseCrossRegionInference")]
    public bool UseCrossRegionInference { get; set; }

    /// <summary>With cross-region inference, use the <c>global.</c> profile for models that have one (setting <c>awsUseGlobalInference</c>).</summary>
    [SettingKey("awsUseGlobalInference")]
    public bool UseGlobalInference { get; set; }

    /// <summary>Mark the system prompt and the last two user messages with <c>cachePoint</c> blocks (setting <c>awsBedrockUsePromptCache</c>).</summary>
    [SettingKey("awsBedrockUsePromptCache")]
    public bool UsePromptCache { get; set; }

    /// <summary>A custom endpoint such as a VPC interface endpoint (setting <c>awsBedrockEndpoint</c>); default <c>https://bedrock-runtime.{region}.amazonaws.com</c>.</summary>
    [SettingKey("awsBedrockEndpoint")]
    public Uri? BaseUrl { get; set; }

    /// <summary>The model id (settings <c>planModeApiModelId</c> / <c>actModeApiModelId</c>); a <c>:1m</c> suffix asks for the 1M-token context beta.</summary>
    [PerMode, SettingKey("apiModelId")]
    public string ModelId { get; set; } = BedrockModels.DefaultModelId;

    /// <summary>The model id is a custom model or inference profile ARN, sent unchanged (settings <c>planModeAwsBedrockCustomSelected</c> / <c>actModeAwsBedrockCustomSelected</c>).</summary>
    [PerMode, SettingKey("awsBedrockCustomSelected")]
    public bool CustomSelected { get; set; }

    /// <summary>The catalogue model whose limits and prices a custom model has (settings <c>planModeAwsBedrockCustomModelBaseId</c> / <c>actModeAwsBedrockCustomModelBaseId</c>).</summary>
    [PerMode, SettingKey("awsBedrockCustomModelBaseId")]
    public string? CustomModelBaseId { get; set; }

    /// <summary>Extended-thinking budget for Claude models that think (settings <c>planModeThinkingBudgetTokens</c> / <c>actModeThinkingBudgetTokens</c>); 0 is off.</summary>
    [PerMode, SettingKey("thinkingBudgetTokens")]
    public int ThinkingBudgetTokens { get; set; }

    /// <summary>
    /// Effort of the Claude models with adaptive thinking (Opus 4.6 and later): <c>none</c>, <c>low</c>, <c>medium</c>,
    /// <c>high</c>, <c>xhigh</c> (settings <c>planModeReasoningEffort</c> / <c>actModeReasoningEffort</c>).
    /// </summary>
    [PerMode, SettingKey("reasoningEffort")]
    public string? ReasoningEffort { get; set; }

    /// <summary>Where the shared credentials file is read in profile mode; <see langword="null"/> is the SDK's default (<c>AWS_SHARED_CREDENTIALS_FILE</c> or <c>~/.aws/credentials</c>).</summary>
    [SettingIgnore]
    public string? SharedCredentialsFile { get; set; }
}
