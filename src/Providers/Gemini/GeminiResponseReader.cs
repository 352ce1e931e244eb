using System.Text.Json;
using Providers.Http;

namespace Providers.Gemini;

/// <summary>
/// Reads one <c>streamGenerateContent</c> event into a <see cref="GenerateContentResponse"/> with
/// <see cref="Utf8JsonReader"/>: the same result as the source-generated serializer, without its per-call read stack,
/// and without strings the decoder never looks at (<c>modelVersion</c>, <c>content.role</c>, and <c>responseId</c> once
/// the decoder has one: it is repeated in every event and only the first is kept). Lists are arrays of their exact
/// length (one candidate, usually one part), and the usage totals, repeated in every event, are the previous event's
/// instance while they do not change.
/// </summary>
/// <remarks>
/// Errors and prompt feedback come once per stream, if at all: the generated serializer reads them. <c>inlineData</c>
/// (generated images) and <c>functionResponse</c> (a request-only part) are skipped: the decoder yields neither.
/// </remarks>
internal static class GeminiResponseReader
{
    private static readonly KnownStrings FinishReasons = new("STOP", "MAX_TOKENS", "SAFETY", "RECITATION", "MALFORMED_FUNCTION_CALL");

    /// <summary>The event, or <see langword="null"/> for a JSON <c>null</c>.</summary>
    /// <param name="data">The event's data.</param>
    /// <param name="wantResponseId">Whether to read <c>responseId</c> into a string; when not, its type is still checked.</param>
    /// <param name="lastUsage">The previous event's usage: returned instead of a new equal one.</param>
    /// <exception cref="JsonException">The event is not valid JSON or a field has the wrong type.</exception>
    public static GenerateContentResponse? Read(ReadOnlySpan<byte> data, bool wantResponseId, UsageMetadata? lastUsage = null)
    {
        var reader = new Utf8JsonReader(data);
        JsonFields.Next(ref reader);
        if (reader.TokenType == JsonTokenType.Null)
        {
            JsonFields.End(ref reader);
            return null;
        }

        JsonFields.Expect(ref reader, JsonTokenType.StartObject);
        IReadOnlyList<GeminiCandidate>? candidates = null;
        PromptFeedback? promptFeedback = null;
        UsageMetadata? usage = null;
        string? responseId = null;
        GoogleError? error = null;
        while (JsonFields.NextProperty(ref reader, out var property))
        {
            // In the order Google sends them.
            if (property.SequenceEqual("candidates"u8))
            {
                candidates = reader.TokenType == JsonTokenType.Null ? null : ReadCandidates(ref reader);
            }
            else if (property.SequenceEqual("usageMetadata"u8))
            {
                usage = reader.TokenType == JsonTokenType.Null ? null : ReadUsage(ref reader, lastUsage);
            }
            else if (property.SequenceEqual("modelVersion"u8))
            {
                CheckString(ref reader);
            }
            else if (property.SequenceEqual("responseId"u8))
            {
                if (wantResponseId)
                {
                    responseId = JsonFields.String(ref reader);
                }
                else
                {
                    CheckString(ref reader);
                }
            }
            else if (property.SequenceEqual("promptFeedback"u8))
            {
                promptFeedback = JsonSerializer.Deserialize(ref reader, GeminiJsonContext.Default.PromptFeedback);
            }
            else if (property.SequenceEqual("error"u8))
            {
                error = JsonSerializer.Deserialize(ref reader, GeminiJsonContext.Default.GoogleError);
            }
            else
            {
                JsonFields.SkipValue(ref reader);
            }
        }

        JsonFields.End(ref reader);
        return new GenerateContentResponse
        {
            Candidates = candidates,
            PromptFeedback = promptFeedback,
            UsageMetadata = usage,
            ResponseId = responseId,
            Error = error,
        };
    }

    private static IReadOnlyList<GeminiCandidate> ReadCandidates(ref Utf8JsonReader reader)
    {
        JsonFields.Expect(ref reader, JsonTokenType.StartArray);
        JsonFields.Next(ref reader);
        if (reader.TokenType == JsonTokenType.EndArray)
        {
            return [];
        }

        // A null candidate is kept, as the serializer keeps it: the decoder reads only the first, and a null one has nothing.
        var first = ReadNullableCandidate(ref reader);
        JsonFields.Next(ref reader);
        if (reader.TokenType == JsonTokenType.EndArray)
        {
            return [first];
        }

        var candidates = new List<GeminiCandidate> { first };
        do
        {
            candidates.Add(ReadNullableCandidate(ref reader));
            JsonFields.Next(ref reader);
        }
        while (reader.TokenType != JsonTokenType.EndArray);
        return candidates;
    }

    private static GeminiCandidate ReadNullableCandidate(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Null ? null! : ReadCandidate(ref reader);

    private static GeminiCandidate ReadCandidate(ref Utf8JsonReader reader)
    {
        JsonFields.Expect(ref reader, JsonTokenType.StartObject);
        GeminiContent? content = null;
        string? finishReason = null, finishMessage = null;
        int? index = null;
        while (JsonFields.NextProperty(ref reader, out var property))
        {
            if (property.SequenceEqual("content"u8))
            {
                content = reader.TokenType == JsonTokenType.Null ? null : ReadContent(ref reader);
            }
            else if (property.SequenceEqual("index"u8))
            {
                index = JsonFields.Int32(ref reader);
            }
            else if (property.SequenceEqual("finishReason"u8))
            {
                finishReason = FinishReason(ref reader);
            }
            else if (property.SequenceEqual("finishMessage"u8))
            {
                finishMessage = JsonFields.String(ref reader);
            }
            else
            {
                JsonFields.SkipValue(ref reader);
            }
        }

        return new GeminiCandidate { Content = content, FinishReason = finishReason, FinishMessage = finishMessage, Index = index };
    }

    /// <summary>The common finish reasons as shared strings: one is in the last event of every stream.</summary>
    private static string? FinishReason(ref Utf8JsonReader reader) => JsonFields.String(ref reader, FinishReasons);

    private static GeminiContent ReadContent(ref Utf8JsonReader reader)
    {
        JsonFields.Expect(ref reader, JsonTokenType.StartObject);
        IReadOnlyList<GeminiPart>? parts = null;
        while (JsonFields.NextProperty(ref reader, out var property))
        {
            if (property.SequenceEqual("parts"u8))
            {
                parts = reader.TokenType == JsonTokenType.Null ? null : ReadParts(ref reader);
            }
            else if (property.SequenceEqual("role"u8))
            {
                CheckString(ref reader);
            }
            else
            {
                JsonFields.SkipValue(ref reader);
            }
        }

        return new GeminiContent { Parts = parts };
    }

    private static IReadOnlyList<GeminiPart> ReadParts(ref Utf8JsonReader reader)
    {
        JsonFields.Expect(ref reader, JsonTokenType.StartArray);
        JsonFields.Next(ref reader);
        if (reader.TokenType == JsonTokenType.EndArray)
        {
            return [];
        }

        var first = ReadPart(ref reader);
        JsonFields.Next(ref reader);
        if (reader.TokenType == JsonTokenType.EndArray)
        {
            return [first];
        }

        var parts = new List<GeminiPart> { first };
        do
        {
            parts.Add(ReadPart(ref reader));
            JsonFields.Next(ref reader);
        }
        while (reader.TokenType != JsonTokenType.EndArray);
        return parts;
    }

    private static GeminiPart ReadPart(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            throw new JsonException("A part was null.");
        }

        JsonFields.Expect(ref reader, JsonTokenType.StartObject);
        string? text = null, thoughtSignature = null;
        bool? thought = null;
        GeminiFunctionCall? functionCall = null;
        while (JsonFields.NextProperty(ref reader, out var property))
        {
            if (property.SequenceEqual("text"u8))
            {
                text = JsonFields.String(ref reader);
            }
            else if (property.SequenceEqual("thought"u8))
            {
                thought = reader.TokenType == JsonTokenType.Null ? null : JsonFields.Boolean(ref reader);
            }
            else if (property.SequenceEqual("thoughtSignature"u8))
            {
                thoughtSignature = JsonFields.String(ref reader);
            }
            else if (property.SequenceEqual("functionCall"u8))
            {
                functionCall = reader.TokenType == JsonTokenType.Null ? null : ReadFunctionCall(ref reader);
            }
            else
            {
                JsonFields.SkipValue(ref reader);
            }
        }

        return new GeminiPart { Text = text, Thought = thought, ThoughtSignature = thoughtSignature, FunctionCall = functionCall };
    }

    private static GeminiFunctionCall ReadFunctionCall(ref Utf8JsonReader reader)
    {
        JsonFields.Expect(ref reader, JsonTokenType.StartObject);
        string? id = null, name = null;
        JsonElement? args = null;
        while (JsonFields.NextProperty(ref reader, out var property))
        {
            if (property.SequenceEqual("name"u8))
            {
                name = JsonFields.String(ref reader);
            }
            else if (property.SequenceEqual("args"u8))
            {
                args = reader.TokenType == JsonTokenType.Null ? null : JsonFields.Element(ref reader);
            }
            else if (property.SequenceEqual("id"u8))
            {
                id = JsonFields.String(ref reader);
            }
            else
            {
                JsonFields.SkipValue(ref reader);
            }
        }

        return new GeminiFunctionCall { Id = id, Name = name, Args = args };
    }

    private static UsageMetadata ReadUsage(ref Utf8JsonReader reader, UsageMetadata? last)
    {
        JsonFields.Expect(ref reader, JsonTokenType.StartObject);
        long? prompt = null, candidates = null, cached = null, thoughts = null, total = null;
        while (JsonFields.NextProperty(ref reader, out var property))
        {
            if (property.SequenceEqual("promptTokenCount"u8))
            {
                prompt = JsonFields.Int64(ref reader);
            }
            else if (property.SequenceEqual("candidatesTokenCount"u8))
            {
                candidates = JsonFields.Int64(ref reader);
            }
            else if (property.SequenceEqual("totalTokenCount"u8))
            {
                total = JsonFields.Int64(ref reader);
            }
            else if (property.SequenceEqual("cachedContentTokenCount"u8))
            {
                cached = JsonFields.Int64(ref reader);
            }
            else if (property.SequenceEqual("thoughtsTokenCount"u8))
            {
                thoughts = JsonFields.Int64(ref reader);
            }
            else
            {
                JsonFields.SkipValue(ref reader);
            }
        }

        if (last is not null && last.PromptTokenCount == prompt && last.CandidatesTokenCount == candidates && last.CachedContentTokenCount == cached
            && last.ThoughtsTokenCount == thoughts && last.TotalTokenCount == total)
        {
            return last;
        }

        return new UsageMetadata
        {
            PromptTokenCount = prompt,
            CandidatesTokenCount = candidates,
            CachedContentTokenCount = cached,
            ThoughtsTokenCount = thoughts,
            TotalTokenCount = total,
        };
    }

    /// <summary>
    /// Checks a string the decoder does not use as the serializer would read it (a string or <see langword="null"/>,
    /// valid UTF-8, escapes that unescape) without making the string, except for an escaped one (rare).
    /// </summary>
    private static void CheckString(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped)
        {
            if (!System.Text.Unicode.Utf8.IsValid(reader.ValueSpan))
            {
                throw new JsonException("A string was not valid UTF-8.");
            }

            return;
        }

        _ = JsonFields.String(ref reader);
    }
}
