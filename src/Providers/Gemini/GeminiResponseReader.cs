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
        while (true)
        {
            JsonFields.Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                break;
            }

            // In the order Google sends them.
            if (reader.ValueTextEquals("candidates"u8))
            {
                JsonFields.Next(ref reader);
                candidates = reader.TokenType == JsonTokenType.Null ? null : ReadCandidates(ref reader);
            }
            else if (reader.ValueTextEquals("usageMetadata"u8))
            {
                JsonFields.Next(ref reader);
                usage = reader.TokenType == JsonTokenType.Null ? null : ReadUsage(ref reader, lastUsage);
            }
            else if (reader.ValueTextEquals("modelVersion"u8))
            {
                JsonFields.Next(ref reader);
                CheckString(ref reader);
            }
            else if (reader.ValueTextEquals("responseId"u8))
            {
                JsonFields.Next(ref reader);
                if (wantResponseId)
                {
                    responseId = JsonFields.String(ref reader);
                }
                else
                {
                    CheckString(ref reader);
                }
            }
            else if (reader.ValueTextEquals("promptFeedback"u8))
            {
                JsonFields.Next(ref reader);
                promptFeedback = JsonSerializer.Deserialize(ref reader, GeminiJsonContext.Default.PromptFeedback);
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                JsonFields.Next(ref reader);
                error = JsonSerializer.Deserialize(ref reader, GeminiJsonContext.Default.GoogleError);
            }
            else
            {
                JsonFields.Next(ref reader);
                reader.Skip();
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
        while (true)
        {
            JsonFields.Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return new GeminiCandidate { Content = content, FinishReason = finishReason, FinishMessage = finishMessage, Index = index };
            }

            if (reader.ValueTextEquals("content"u8))
            {
                JsonFields.Next(ref reader);
                content = reader.TokenType == JsonTokenType.Null ? null : ReadContent(ref reader);
            }
            else if (reader.ValueTextEquals("index"u8))
            {
                JsonFields.Next(ref reader);
                index = JsonFields.Int32(ref reader);
            }
            else if (reader.ValueTextEquals("finishReason"u8))
            {
                JsonFields.Next(ref reader);
                finishReason = FinishReason(ref reader);
            }
            else if (reader.ValueTextEquals("finishMessage"u8))
            {
                JsonFields.Next(ref reader);
                finishMessage = JsonFields.String(ref reader);
            }
            else
            {
                JsonFields.Next(ref reader);
                reader.Skip();
            }
        }
    }

    /// <summary>The common finish reasons as shared strings: one is in the last event of every stream.</summary>
    private static string? FinishReason(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped)
        {
            var span = reader.ValueSpan;
            if (span.SequenceEqual("STOP"u8)) return "STOP";
            if (span.SequenceEqual("MAX_TOKENS"u8)) return "MAX_TOKENS";
            if (span.SequenceEqual("SAFETY"u8)) return "SAFETY";
        }

        return JsonFields.String(ref reader);
    }

    private static GeminiContent ReadContent(ref Utf8JsonReader reader)
    {
        JsonFields.Expect(ref reader, JsonTokenType.StartObject);
        IReadOnlyList<GeminiPart>? parts = null;
        while (true)
        {
            JsonFields.Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return new GeminiContent { Parts = parts };
            }

            if (reader.ValueTextEquals("parts"u8))
            {
                JsonFields.Next(ref reader);
                parts = reader.TokenType == JsonTokenType.Null ? null : ReadParts(ref reader);
            }
            else if (reader.ValueTextEquals("role"u8))
            {
                JsonFields.Next(ref reader);
                CheckString(ref reader);
            }
            else
            {
                JsonFields.Next(ref reader);
                reader.Skip();
            }
        }
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
        while (true)
        {
            JsonFields.Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return new GeminiPart { Text = text, Thought = thought, ThoughtSignature = thoughtSignature, FunctionCall = functionCall };
            }

            if (reader.ValueTextEquals("text"u8))
            {
                JsonFields.Next(ref reader);
                text = JsonFields.String(ref reader);
            }
            else if (reader.ValueTextEquals("thought"u8))
            {
                JsonFields.Next(ref reader);
                thought = reader.TokenType == JsonTokenType.Null ? null : JsonFields.Boolean(ref reader);
            }
            else if (reader.ValueTextEquals("thoughtSignature"u8))
            {
                JsonFields.Next(ref reader);
                thoughtSignature = JsonFields.String(ref reader);
            }
            else if (reader.ValueTextEquals("functionCall"u8))
            {
                JsonFields.Next(ref reader);
                functionCall = reader.TokenType == JsonTokenType.Null ? null : ReadFunctionCall(ref reader);
            }
            else
            {
                JsonFields.Next(ref reader);
                reader.Skip();
            }
        }
    }

    private static GeminiFunctionCall ReadFunctionCall(ref Utf8JsonReader reader)
    {
        JsonFields.Expect(ref reader, JsonTokenType.StartObject);
        string? id = null, name = null;
        JsonElement? args = null;
        while (true)
        {
            JsonFields.Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return new GeminiFunctionCall { Id = id, Name = name, Args = args };
            }

            if (reader.ValueTextEquals("name"u8))
            {
                JsonFields.Next(ref reader);
                name = JsonFields.String(ref reader);
            }
            else if (reader.ValueTextEquals("args"u8))
            {
                JsonFields.Next(ref reader);
                args = reader.TokenType == JsonTokenType.Null ? null : JsonFields.Element(ref reader);
            }
            else if (reader.ValueTextEquals("id"u8))
            {
                JsonFields.Next(ref reader);
                id = JsonFields.String(ref reader);
            }
            else
            {
                JsonFields.Next(ref reader);
                reader.Skip();
            }
        }
    }

    private static UsageMetadata ReadUsage(ref Utf8JsonReader reader, UsageMetadata? last)
    {
        JsonFields.Expect(ref reader, JsonTokenType.StartObject);
        long? prompt = null, candidates = null, cached = null, thoughts = null, total = null;
        while (true)
        {
            JsonFields.Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
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

            if (reader.ValueTextEquals("promptTokenCount"u8))
            {
                JsonFields.Next(ref reader);
                prompt = JsonFields.Int64(ref reader);
            }
            else if (reader.ValueTextEquals("candidatesTokenCount"u8))
            {
                JsonFields.Next(ref reader);
                candidates = JsonFields.Int64(ref reader);
            }
            else if (reader.ValueTextEquals("totalTokenCount"u8))
            {
                JsonFields.Next(ref reader);
                total = JsonFields.Int64(ref reader);
            }
            else if (reader.ValueTextEquals("cachedContentTokenCount"u8))
            {
                JsonFields.Next(ref reader);
                cached = JsonFields.Int64(ref reader);
            }
            else if (reader.ValueTextEquals("thoughtsTokenCount"u8))
            {
                JsonFields.Next(ref reader);
                thoughts = JsonFields.Int64(ref reader);
            }
            else
            {
                JsonFields.Next(ref reader);
                reader.Skip();
            }
        }
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
