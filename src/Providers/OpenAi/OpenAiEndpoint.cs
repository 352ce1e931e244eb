namespace Providers.OpenAi;

/// <summary>
/// Where the requests go and how they authenticate. OpenAI and compatible servers: <c>{base}/chat/completions</c> and
/// <c>{base}/responses</c> with a bearer token. Azure OpenAI (an <c>azure.com</c> or <c>azure.us</c> host unless the
/// model is a DeepSeek one, or <c>azureApiVersion</c> set): the base URL is the resource endpoint,
/// chat goes to <c>{endpoint}/openai/deployments/{model}/chat/completions?api-version=…</c>, responses to
/// <c>{endpoint}/openai/responses?api-version=…</c>, and the key travels in an <c>api-key</c> header.
/// </summary>
/// <param name="Url">The request URL.</param>
/// <param name="IsAzure">Whether to authenticate the Azure way.</param>
internal sealed record OpenAiEndpoint(Uri Url, bool IsAzure)
{
    /// <summary>The <c>api-version</c> of Chat Completions on an Azure host when <c>azureApiVersion</c> is not set (the latest GA version).</summary>
    public const string DefaultAzureApiVersion = "2024-10-21";

    /// <summary>The <c>api-version</c> of the Responses API on Azure when <c>azureApiVersion</c> is not set (the first that serves it).</summary>
    public const string DefaultAzureResponsesApiVersion = "2025-04-01-preview";

    /// <summary>An Azure host as Cline recognises one: any <c>azure.com</c> or <c>azure.us</c> (Azure Government) host.</summary>
    public static bool IsAzureHost(Uri baseUrl) =>
        IsHostIn(baseUrl.Host, "azure.com") || IsHostIn(baseUrl.Host, "azure.us");

    private static bool IsHostIn(string host, string domain) =>
        host.Equals(domain, StringComparison.OrdinalIgnoreCase) || host.EndsWith("." + domain, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// <see cref="Resolve(OpenAiOptions, string, bool)"/>, reusing <paramref name="last"/> (a handler's field) while what decides the endpoint is the same:
    /// the same <see cref="OpenAiOptions.BaseUrl"/> instance (a <see cref="Uri"/> does not change), API version, model
    /// and API. A request then builds no URL and parses none.
    /// </summary>
    public static OpenAiEndpoint Resolve(ref Resolved? last, OpenAiOptions options, string modelId, bool responsesApi)
    {
        if (Volatile.Read(ref last) is { } seen && ReferenceEquals(seen.BaseUrl, options.BaseUrl) && seen.ResponsesApi == responsesApi
            && string.Equals(seen.AzureApiVersion, options.AzureApiVersion, StringComparison.Ordinal)
            && string.Equals(seen.ModelId, modelId, StringComparison.Ordinal))
        {
            return seen.Endpoint;
        }

        var endpoint = Resolve(options, modelId, responsesApi);
        Volatile.Write(ref last, new Resolved(options.BaseUrl, options.AzureApiVersion, modelId, responsesApi, endpoint));
        return endpoint;
    }

    public static OpenAiEndpoint Resolve(OpenAiOptions options, string modelId, bool responsesApi)
    {
        var baseUrl = options.BaseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/');
        // As Cline: DeepSeek models on an Azure host speak the plain OpenAI shape unless azureApiVersion says otherwise.
        var isAzure = !string.IsNullOrWhiteSpace(options.AzureApiVersion)
            || (IsAzureHost(options.BaseUrl) && !modelId.Contains("deepseek", StringComparison.OrdinalIgnoreCase));
        if (!isAzure)
        {
            return new OpenAiEndpoint(new Uri(baseUrl + (responsesApi ? "/responses" : "/chat/completions")), false);
        }

        var version = Uri.EscapeDataString(!string.IsNullOrWhiteSpace(options.AzureApiVersion)
            ? options.AzureApiVersion.Trim()
            : responsesApi ? DefaultAzureResponsesApiVersion : DefaultAzureApiVersion);

        // A base URL that already names the deployment is used as it is.
        var deploymentAt = baseUrl.IndexOf("/openai/deployments/", StringComparison.OrdinalIgnoreCase);
        var root = deploymentAt >= 0 ? baseUrl[..deploymentAt] : baseUrl.EndsWith("/openai", StringComparison.OrdinalIgnoreCase) ? baseUrl[..^7] : baseUrl;
        string url;
        if (responsesApi)
        {
            url = $"{root}/openai/responses?api-version={version}";
        }
        else if (deploymentAt >= 0)
        {
            url = $"{baseUrl}/chat/completions?api-version={version}";
        }
        else
        {
            url = $"{root}/openai/deployments/{Uri.EscapeDataString(modelId)}/chat/completions?api-version={version}";
        }

        return new OpenAiEndpoint(new Uri(url), true);
    }

    /// <summary>An endpoint and what it was resolved from.</summary>
    internal sealed record Resolved(Uri BaseUrl, string? AzureApiVersion, string ModelId, bool ResponsesApi, OpenAiEndpoint Endpoint);
}
