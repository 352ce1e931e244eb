namespace Providers.Anthropic;

/// <summary>
/// Where and how the Messages API is reached when it is not Anthropic's own (Claude on Vertex AI): the URL of a model,
/// the credentials, the model table and the <c>anthropic_version</c> that goes in the body instead of the header. The
/// request body and the stream are Anthropic's, built and read by <see cref="AnthropicHandler"/>.
/// </summary>
internal abstract class AnthropicEndpoint
{
    /// <summary>The provider id used in errors.</summary>
    public abstract string ProviderId { get; }

    /// <summary>The <c>anthropic_version</c> of the body; the body then carries no <c>model</c> (it is in the URL).</summary>
    public abstract string BodyVersion { get; }

    /// <summary>Resolves a model id through this endpoint's own table.</summary>
    public abstract AnthropicModel Resolve(string modelId);

    /// <summary>The streaming URL of <paramref name="model"/>.</summary>
    public abstract Uri UriFor(AnthropicModel model);

    /// <summary>Adds the credentials to <paramref name="request"/>; returns the secret to keep out of error messages.</summary>
    public abstract ValueTask<string> AuthorizeAsync(HttpRequestMessage request, CancellationToken cancellationToken);
}
