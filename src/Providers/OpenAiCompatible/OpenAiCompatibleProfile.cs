namespace Providers.OpenAiCompatible;

/// <summary>
/// What a member of the OpenAI-compatible family declares beyond its settings: its id, where it lives, its default
/// model and model table, and the request defaults its documentation asks for.
/// </summary>
/// <param name="Id">The provider id, used in errors and telemetry.</param>
/// <param name="BaseUrl">The default base URL, with the version segment.</param>
/// <param name="DefaultModelId">The model used when none is set; <see langword="null"/> when the user must name one.</param>
/// <param name="Models">The built-in model table.</param>
internal sealed record OpenAiCompatibleProfile(string Id, Uri BaseUrl, string? DefaultModelId, ModelTable Models)
{
    /// <summary>A profile whose table is the embedded <c>Models/{table}.json</c>, or empty when <paramref name="table"/> is <see langword="null"/>.</summary>
    public OpenAiCompatibleProfile(string id, string baseUrl, string? defaultModelId, string? table = null)
        : this(id, new Uri(baseUrl), defaultModelId, table is null ? ModelTable.Empty : ModelTable.Embedded(table))
    {
    }

    /// <summary>Headers sent with every request (attribution headers some providers ask integrations to send).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>The temperature sent when the request sets none; <see langword="null"/> sends none.</summary>
    public double? Temperature { get; init; } = 0;

    /// <summary>The output limit sent when neither the request nor a configured model info sets one.</summary>
    public int? MaxTokens { get; init; }

    /// <summary>Whether the models put their reasoning inside <c>&lt;think&gt;…&lt;/think&gt;</c> in the text.</summary>
    public bool ThinkTags { get; init; }
}
