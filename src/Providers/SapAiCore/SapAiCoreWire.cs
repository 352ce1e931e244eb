using System.Text.Json.Serialization;

namespace Providers.SapAiCore;

/// <summary>The answer of the token endpoint (OAuth 2.0 client credentials).</summary>
internal sealed class TokenResponse
{
    [JsonPropertyName("access_token")] public string? AccessToken { get; init; }

    [JsonPropertyName("expires_in")] public long? ExpiresIn { get; init; }

    [JsonPropertyName("token_type")] public string? TokenType { get; init; }
}

/// <summary>The answer of <c>GET /v2/lm/deployments</c>.</summary>
internal sealed class DeploymentList
{
    [JsonPropertyName("resources")] public List<Deployment>? Resources { get; init; }
}

internal sealed class Deployment
{
    [JsonPropertyName("id")] public string? Id { get; init; }

    [JsonPropertyName("targetStatus")] public string? TargetStatus { get; init; }

    /// <summary>What the deployment serves: <c>foundation-models</c> for a model, <c>orchestration</c> for the orchestration service.</summary>
    [JsonPropertyName("scenarioId")] public string? ScenarioId { get; init; }

    [JsonPropertyName("details")] public DeploymentDetails? Details { get; init; }
}

internal sealed class DeploymentDetails
{
    [JsonPropertyName("resources")] public DeploymentResources? Resources { get; init; }
}

internal sealed class DeploymentResources
{
    [JsonPropertyName("backend_details")] public BackendDetails? BackendDetails { get; init; }
}

internal sealed class BackendDetails
{
    [JsonPropertyName("model")] public DeployedModel? Model { get; init; }
}

internal sealed class DeployedModel
{
    [JsonPropertyName("name")] public string? Name { get; init; }

    [JsonPropertyName("version")] public string? Version { get; init; }
}

[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(DeploymentList))]
internal sealed partial class SapAiCoreJsonContext : JsonSerializerContext;
