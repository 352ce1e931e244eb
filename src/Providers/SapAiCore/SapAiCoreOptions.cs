using System.ComponentModel.DataAnnotations;

namespace Providers.SapAiCore;

/// <summary>Options of the <c>sapaicore</c> provider, under Cline's keys (the values of an SAP AI Core service key).</summary>
public sealed class SapAiCoreOptions : ProviderOptions
{
    /// <summary>Cline's default model.</summary>
    public const string DefaultModelId = "anthropic--claude-3.5-sonnet";

    /// <summary>The OAuth client id of the service key (<c>clientid</c>; setting <c>sapAiCoreClientId</c>).</summary>
    [Required, SettingKey("sapAiCoreClientId")] public string ClientId { get; set; } = "";

    /// <summary>The OAuth client secret of the service key (<c>clientsecret</c>; setting <c>sapAiCoreClientSecret</c>).</summary>
    [Required, SettingKey("sapAiCoreClientSecret"), Secret] public string ClientSecret { get; set; } = "";

    /// <summary>The authentication URL of the service key (<c>url</c>; setting <c>sapAiCoreTokenUrl</c>); tokens come from <c>{url}/oauth/token</c>.</summary>
    [Required, SettingKey("sapAiCoreTokenUrl")] public Uri? TokenUrl { get; set; }

    /// <summary>The AI API URL of the service key (<c>serviceurls.AI_API_URL</c>; setting <c>sapAiCoreBaseUrl</c>).</summary>
    [Required, SettingKey("sapAiCoreBaseUrl")] public Uri? BaseUrl { get; set; }

    /// <summary>The resource group of the deployments (setting <c>sapAiResourceGroup</c>), default <c>default</c>.</summary>
    [SettingKey("sapAiResourceGroup")] public string? ResourceGroup { get; set; }

    /// <summary>The model (settings <c>planModeApiModelId</c> / <c>actModeApiModelId</c>), default <c>anthropic--claude-3.5-sonnet</c>.</summary>
    [PerMode, SettingKey("apiModelId")] public string? ModelId { get; set; }

    /// <summary>The deployment serving the model (settings <c>planModeSapAiCoreDeploymentId</c> / <c>actModeSapAiCoreDeploymentId</c>); looked up when unset.</summary>
    [PerMode, SettingKey("sapAiCoreDeploymentId")] public string? DeploymentId { get; set; }

    /// <summary>The reasoning effort of OpenAI reasoning models (settings <c>planModeReasoningEffort</c> / <c>actModeReasoningEffort</c>).</summary>
    [PerMode, SettingKey("reasoningEffort")] public string? ReasoningEffort { get; set; }

    /// <summary>
    /// Cline's switch to the orchestration service (setting <c>sapAiCoreUseOrchestrationMode</c>). On: every model is
    /// called through the resource group's running orchestration deployment (<c>/v2/completion</c>), and
    /// <see cref="DeploymentId"/> is not used; with no such deployment the request fails and says so. Off: the model's
    /// own deployment is called. Unset, as in a Cline settings file that never saved it: Cline's default (on), with the
    /// fallback Cline's settings screen applies (it turns the switch off when no orchestration deployment is running):
    /// a configured <see cref="DeploymentId"/>, or a resource group without a running orchestration deployment, means the
    /// model's own deployment; otherwise the orchestration service.
    /// </summary>
    [SettingKey("sapAiCoreUseOrchestrationMode")] public bool? UseOrchestrationMode { get; set; }
}
