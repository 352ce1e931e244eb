using System.Text.Json;
using Providers.Http;

namespace Providers.Gemini;

/// <summary>
/// Reads one <c>streamGenerateContent</c> event into a <see cref="GenerateContentResponse"/> with
/// <see cref="Utf8JsonReader"/>: the same result as the source-generated serializer, without its per-call read stack,
/// and without strings the decoder never looks at (<c>modelVersion</c>, <c>content.role</c>, and <c>responseId</c> once
/// the decoder has one: it is repeated in every event and only the first is kept). The usage totals, repeated in every
/// event, are the previous event's instance while they do not change.
/// </summary>
/// <remarks>
/// One reader per stream: it refills the same response, its candidates list and, per position in that list, the same
/// candidate, content, parts list and, per position, part for every event (GeminiStreamDecoder is done with one event
/// before the next is parsed and keeps none of them: only strings and the usage, which is never refilled), so a text
/// delta allocates only its text. Function calls, usage, errors and prompt feedback, rare, are new objects.
/// Errors and prompt feedback come once per stream, if at all: the generated serializer reads them. <c>inlineData</c>
/// (generated images) and <c>functionResponse</c> (a request-only part) are skipped: the decoder yields neither.
/// </remarks>
internal sealed class GeminiResponseReader
{
    private static readonly KnownStrings FinishReasons = new("STOP", "MAX_TOKENS", "SAFETY", "RECITATION", "MALFORMED_FUNCTION_CALL");

    private readonly GenerateContentResponse _response = new();
    private readonly List<GeminiCandidate> _candidates = new(1);

    /// <summary>The candidates handed out so far, by position, each with its content and parts: refilled, never shared between positions.</summary>
    private readonly List<CandidateSlot> _candidatePool = new(1);

    /// <summary>One position of the candidates list: its candidate, content, parts list and parts by position.</summary>
    private sealed class CandidateSlot
    {
        public readonly GeminiCandidate Candidate = new();
        public readonly GeminiContent Content = new();
        public readonly List<GeminiPart> Parts = new(1);
        public readonly List<GeminiPart> PartPool = new(1);
    }

    /// <summary>
    /// The event, or <see langword="null"/> for a JSON <c>null</c>. The response, its candidates, their content and
    /// parts are this reader's own and are refilled by the next call: read them before it.
    /// </summary>
    /// <param name="data">The event's data.</param>
    /// <param name="wantResponseId">Whether to read <c>responseId</c> into a string; when not, its type is still checked.</param>
    /// <param name="lastUsage">The previous event's usage: returned instead of a new equal one.</param>
    /// <exception cref="JsonException">The event is not valid JSON or a field has the wrong type.</exception>
    public GenerateContentResponse? Read(ReadOnlySpan<byte> data, bool wantResponseId, UsageMetadata? lastUsage = null)
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
        var response = _response;
        response.Candidates = candidates;
        response.PromptFeedback = promptFeedback;
        response.UsageMetadata = usage;
        response.ResponseId = responseId;
        response.Error = error;
        return response;
    }

    private List<GeminiCandidate> ReadCandidates(ref Utf8JsonReader reader)
    {
        JsonFields.Expect(ref reader, JsonTokenType.StartArray);
        var candidates = _candidates;
        candidates.Clear();
        JsonFields.Next(ref reader);
        while (reader.TokenType != JsonTokenType.EndArray)
        {
            // A null candidate is kept, as the serializer keeps it: the decoder reads only the first, and a null one has nothing.
            candidates.Add(reader.TokenType == JsonTokenType.Null ? null! : ReadCandidate(ref reader, Slot(candidates.Count)));
            JsonFields.Next(ref reader);
        }

        return candidates;
    }

    private CandidateSlot Slot(int position)
    {
        // A null candidate before this one takes no slot of its own, so the pool may be more than one short.
        while (_candidatePool.Count <= position)
        {
            _candidatePool.Add(new CandidateSlot());
        }

        return _candidatePool[position];
    }

    private static GeminiCandidate ReadCandidate(ref Utf8JsonReader reader, CandidateSlot slot)
    {
        JsonFields.Expect(ref reader, JsonTokenType.StartObject);
        GeminiContent? content = null;
        string? finishReason = null, finishMessage = null;
        int? index = null;
        while (JsonFields.NextProperty(ref reader, out var property))
        {
            if (property.SequenceEqual("content"u8))
            {
                content = reader.TokenType == JsonTokenType.Null ? null : ReadContent(ref reader, slot);
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

        var candidate = slot.Candidate;
        candidate.Content = content;
        candidate.FinishReason = finishReason;
        candidate.FinishMessage = finishMessage;
        candidate.Index = index;
        return candidate;
    }

    /// <summary>The common finish reasons as shared strings: one is in the last event of every stream.</summary>
    private static string? FinishReason(ref Utf8JsonReader reader) => JsonFields.String(ref reader, FinishReasons);

    private static GeminiContent ReadContent(ref Utf8JsonReader reader, CandidateSlot slot)
    {
        JsonFields.Expect(ref reader, JsonTokenType.StartObject);
        IReadOnlyList<GeminiPart>? parts = null;
        while (JsonFields.NextProperty(ref reader, out var property))
        {
            if (property.SequenceEqual("parts"u8))
            {
                parts = reader.TokenType == JsonTokenType.Null ? null : ReadParts(ref reader, slot);
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

        var content = slot.Content;
        content.Role = null;
        content.Parts = parts;
        return content;
    }

    private static List<GeminiPart> ReadParts(ref Utf8JsonReader reader, CandidateSlot slot)
    {
        JsonFields.Expect(ref reader, JsonTokenType.StartArray);
        var parts = slot.Parts;
        parts.Clear();
        JsonFields.Next(ref reader);
        while (reader.TokenType != JsonTokenType.EndArray)
        {
            if (parts.Count == slot.PartPool.Count)
            {
                slot.PartPool.Add(new GeminiPart());
            }

            parts.Add(ReadPart(ref reader, slot.PartPool[parts.Count]));
            JsonFields.Next(ref reader);
        }

        return parts;
    }

    private static GeminiPart ReadPart(ref Utf8JsonReader reader, GeminiPart part)
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

        part.Text = text;
        part.Thought = thought;
        part.ThoughtSignature = thoughtSignature;
        part.FunctionCall = functionCall;
        part.InlineData = null;
        part.FunctionResponse = null;
        return part;
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
