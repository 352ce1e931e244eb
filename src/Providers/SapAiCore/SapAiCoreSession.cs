using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Providers.Http;

namespace Providers.SapAiCore;

/// <summary>
/// What every SAP AI Core request needs: an OAuth 2.0 access token from the service key's client credentials
/// (<c>POST {sapAiCoreTokenUrl}/oauth/token</c>, kept until a minute before it expires, then fetched again), the
/// <c>AI-Resource-Group</c> header, and the id of the running deployment that serves a model
/// (<c>GET {sapAiCoreBaseUrl}/v2/lm/deployments</c>, matched on the model name as Cline does), or of the orchestration
/// service (scenario <c>orchestration</c>) in Cline's orchestration mode.
/// </summary>
internal sealed class SapAiCoreSession(SapAiCoreOptions options, string providerId)
{
    private static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(1);

    private readonly SemaphoreSlim _tokenLock = new(1, 1);
    private readonly Dictionary<string, string> _deployments = new(StringComparer.OrdinalIgnoreCase);
    private string? _orchestrationDeployment;
    private bool _noOrchestrationDeployment;
    private (string Token, DateTimeOffset Expires)? _token;

    public string ResourceGroup => string.IsNullOrWhiteSpace(options.ResourceGroup) ? "default" : options.ResourceGroup.Trim();

    public string Root => options.BaseUrl!.GetLeftPart(UriPartial.Path).TrimEnd('/');

    /// <summary>Where tokens come from: the service key's <c>url</c> plus <c>/oauth/token</c> (unless it already ends so).</summary>
    public Uri TokenEndpoint
    {
        get
        {
            var url = options.TokenUrl!.GetLeftPart(UriPartial.Path).TrimEnd('/');
            return new Uri(url.EndsWith("/oauth/token", StringComparison.OrdinalIgnoreCase) ? url : url + "/oauth/token");
        }
    }

    /// <summary>Adds the bearer token and SAP AI Core's headers to <paramref name="request"/>; returns the token, a secret.</summary>
    public async ValueTask<string> AuthorizeAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var token = await TokenAsync(cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.TryAddWithoutValidation("AI-Resource-Group", ResourceGroup);
        request.Headers.TryAddWithoutValidation("AI-Client-Type", "Cline");
        return token;
    }

    /// <summary>Drops the cached token, after the API refused it, so the next request fetches a new one.</summary>
    public void ForgetToken() => _token = null;

    /// <summary>The configured deployment, else the running deployment whose model name is that of <paramref name="modelId"/>.</summary>
    public async ValueTask<string> DeploymentForAsync(string modelId, CancellationToken cancellationToken, List<Deployment>? listed = null)
    {
        if (!string.IsNullOrWhiteSpace(options.DeploymentId))
        {
            return options.DeploymentId.Trim();
        }

        var name = BaseName(modelId);
        lock (_deployments)
        {
            if (_deployments.TryGetValue(name, out var known))
            {
                return known;
            }
        }

        var found = ModelDeployments(listed ?? await ListDeploymentsAsync(cancellationToken).ConfigureAwait(false));
        lock (_deployments)
        {
            foreach (var (model, id) in found)
            {
                _deployments.TryAdd(model, id);
            }

            if (_deployments.TryGetValue(name, out var deployment))
            {
                return deployment;
            }
        }

        throw new ProviderException(
            providerId,
            $"SAP AI Core has no running deployment of '{modelId}' in resource group '{ResourceGroup}'. Deploy the model in SAP AI Launchpad, "
            + "check 'sapAiResourceGroup', or name the deployment in 'planModeSapAiCoreDeploymentId' / 'actModeSapAiCoreDeploymentId'.",
            HttpStatusCode.NotFound,
            isRetryable: false)
        { ErrorType = "no_deployment" };
    }

    /// <summary>
    /// For <c>sapAiCoreUseOrchestrationMode</c> left unset: Cline's default is on, and Cline's settings screen turns it off
    /// when the resource group has no running orchestration deployment. So: a configured deployment id means the model's
    /// own deployment; otherwise the orchestration deployment when one is running, else the model's own deployment.
    /// One listing of the deployments answers both questions.
    /// </summary>
    /// <returns>
    /// The orchestration deployment's id, or <see langword="null"/> when the model's own deployment is to be called; and the
    /// listing made to answer, if one was, for <see cref="DeploymentForAsync"/>.
    /// </returns>
    public async ValueTask<(string? Orchestration, List<Deployment>? Listed)> DefaultOrchestrationDeploymentAsync(CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(options.DeploymentId) || _noOrchestrationDeployment)
        {
            return (null, null);
        }

        if (_orchestrationDeployment is { } known)
        {
            return (known, null);
        }

        var resources = await ListDeploymentsAsync(cancellationToken).ConfigureAwait(false);
        if (RunningOrchestration(resources) is { } found)
        {
            _orchestrationDeployment = found;
            return (found, null);
        }

        _noOrchestrationDeployment = true;
        return (null, resources);
    }

    private static string? RunningOrchestration(List<Deployment> resources) =>
        resources.FirstOrDefault(d => d.TargetStatus == "RUNNING" && d.ScenarioId == "orchestration" && !string.IsNullOrEmpty(d.Id))?.Id;

    /// <summary>
    /// The running deployment of the orchestration service (scenario <c>orchestration</c>) in the resource group, as
    /// SAP's orchestration SDK finds it for Cline; looked up once per handler.
    /// </summary>
    public async ValueTask<string> OrchestrationDeploymentAsync(CancellationToken cancellationToken)
    {
        if (_orchestrationDeployment is { } known)
        {
            return known;
        }

        var found = RunningOrchestration(await ListDeploymentsAsync(cancellationToken).ConfigureAwait(false));
        if (found is null)
        {
            throw new ProviderException(
                providerId,
                $"SAP AI Core has no running orchestration deployment in resource group '{ResourceGroup}', and 'sapAiCoreUseOrchestrationMode' is on. "
                + "Deploy the orchestration service (scenario 'orchestration') in SAP AI Launchpad, check 'sapAiResourceGroup', "
                + "or set 'sapAiCoreUseOrchestrationMode' to false to call the model's own deployment.",
                HttpStatusCode.NotFound,
                isRetryable: false)
            { ErrorType = "no_orchestration_deployment" };
        }

        _orchestrationDeployment = found;
        return found;
    }

    private async ValueTask<string> TokenAsync(CancellationToken cancellationToken)
    {
        var now = options.TimeProvider.GetUtcNow();
        if (_token is { } cached && now < cached.Expires)
        {
            return cached.Token;
        }

        await _tokenLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_token is { } fresh && options.TimeProvider.GetUtcNow() < fresh.Expires)
            {
                return fresh.Token;
            }

            var token = await FetchTokenAsync(cancellationToken).ConfigureAwait(false);
            _token = token;
            return token.Token;
        }
        finally
        {
            _tokenLock.Release();
        }
    }

    private async Task<(string Token, DateTimeOffset Expires)> FetchTokenAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, TokenEndpoint)
        {
            Content = new FormUrlEncodedContent(
            [
                new("grant_type", "client_credentials"),
                new("client_id", options.ClientId.Trim()),
                new("client_secret", options.ClientSecret.Trim()),
            ]),
        };
        request.Headers.Accept.ParseAdd("application/json");
        byte[] body;
        try
        {
            using var response = await ProviderHttp.SendAsync(
                ProviderHttp.ClientFor(options), request, providerId, options, secrets: [options.ClientSecret.Trim()], cancellationToken: cancellationToken).ConfigureAwait(false);
            body = await ProviderHttp.ReadBodyAsync(response, providerId, options, options.RequestTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (ProviderException ex) when (ex is not ProviderConfigurationException)
        {
            var refused = ex.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;
            throw new ProviderException(
                providerId,
                $"Could not get an SAP AI Core access token from {TokenEndpoint.GetLeftPart(UriPartial.Authority)}: {ex.Message} "
                + (refused
                    ? "The client credentials were refused: check 'sapAiCoreClientId', 'sapAiCoreClientSecret' and 'sapAiCoreTokenUrl' against the service key."
                    : "Check 'sapAiCoreTokenUrl' (the service key's 'url')."),
                ex.StatusCode,
                ex.IsRetryable,
                ex.RetryAfter,
                ex)
            { ErrorType = "token_" + (ex.ErrorType ?? "error") };
        }

        TokenResponse? token;
        try
        {
            token = JsonSerializer.Deserialize(body, SapAiCoreJsonContext.Default.TokenResponse);
        }
        catch (JsonException)
        {
            token = null;
        }

        if (token?.AccessToken is not { Length: > 0 } accessToken || accessToken.Any(char.IsControl))
        {
            throw new ProviderException(
                providerId,
                "The SAP AI Core token endpoint answered without a usable 'access_token'. Check 'sapAiCoreTokenUrl' (the service key's 'url').",
                isRetryable: false)
            { ErrorType = "token_malformed" };
        }

        options.Secrets.Add(accessToken);
        var lifetime = TimeSpan.FromSeconds(Math.Clamp(token.ExpiresIn ?? 0, 0, 365L * 24 * 3600));
        var expires = options.TimeProvider.GetUtcNow() + (lifetime > RefreshMargin ? lifetime - RefreshMargin : TimeSpan.Zero);
        return (accessToken, expires);
    }

    private static List<(string Model, string Id)> ModelDeployments(List<Deployment> resources) =>
        resources
            .Where(d => d.TargetStatus == "RUNNING" && !string.IsNullOrEmpty(d.Id)
                && d.Details?.Resources?.BackendDetails?.Model is { Name.Length: > 0, Version.Length: > 0 })
            .Select(d => (BaseName(d.Details!.Resources!.BackendDetails!.Model!.Name!), d.Id!))
            .ToList();

    private async Task<List<Deployment>> ListDeploymentsAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Root + "/v2/lm/deployments?$top=10000&$skip=0"));
        request.Headers.Accept.ParseAdd("application/json");
        var token = await AuthorizeAsync(request, cancellationToken).ConfigureAwait(false);
        byte[] body;
        using (var response = await ProviderHttp.SendAsync(
            ProviderHttp.ClientFor(options), request, providerId, options, secrets: [token, options.ClientSecret], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            body = await ProviderHttp.ReadBodyAsync(response, providerId, options, options.RequestTimeout, cancellationToken).ConfigureAwait(false);
        }

        DeploymentList? list;
        try
        {
            list = JsonSerializer.Deserialize(body, SapAiCoreJsonContext.Default.DeploymentList);
        }
        catch (JsonException)
        {
            list = null;
        }

        if (list?.Resources is not { } resources)
        {
            throw new ProviderException(providerId, "SAP AI Core answered the deployment list without 'resources'. Check 'sapAiCoreBaseUrl' (the service key's AI_API_URL).", isRetryable: false)
            { ErrorType = "malformed_deployments" };
        }

        return resources;
    }

    /// <summary>A model name without its <c>:version</c>, as Cline matches deployments.</summary>
    private static string BaseName(string model) => model.Split(':')[0].Trim();
}
