using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Providers.Cli.Rendering;

/// <summary>
/// One JSON object per chunk, exactly as yielded, with the field names of Cline's <c>ApiStreamChunk</c> types
/// (<c>text</c>, <c>reasoning</c>, <c>tool_calls</c>, <c>usage</c>); absent optional fields are left out.
/// </summary>
internal sealed class JsonlRenderer : IChunkRenderer
{
    // Non-ASCII text stays readable; quotes, backslashes and control characters are still escaped.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly TextWriter _output;
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private readonly Utf8JsonWriter _json;

    public JsonlRenderer(TextWriter output)
    {
        _output = output;
        _json = new Utf8JsonWriter(_buffer, WriterOptions);
    }

    public void Write(ApiStreamChunk chunk)
    {
        _buffer.ResetWrittenCount();
        _json.Reset(_buffer);
        WriteChunk(_json, chunk);
        _json.Flush();
        _output.Write(Encoding.UTF8.GetString(_buffer.WrittenSpan));
        _output.Write('\n');
        _output.Flush();
    }

    public void Complete() => _output.Flush();

    public void Abandon() => _output.Flush();

    internal static void WriteChunk(Utf8JsonWriter json, ApiStreamChunk chunk)
    {
        json.WriteStartObject();
        switch (chunk)
        {
            case TextChunk text:
                json.WriteString("type", "text");
                json.WriteString("text", text.Text);
                break;
            case ReasoningChunk reasoning:
                json.WriteString("type", "reasoning");
                json.WriteString("reasoning", reasoning.Reasoning);
                WriteIfPresent(json, "signature", reasoning.Signature);
                WriteIfPresent(json, "redacted_data", reasoning.RedactedData);
                if (reasoning.Details is { } details)
                {
                    json.WritePropertyName("details");
                    WriteJsonOrString(json, details);
                }

                break;
            case ToolCallChunk call:
                json.WriteString("type", "tool_calls");
                json.WriteStartObject("tool_call");
                json.WriteString("call_id", call.CallId);
                json.WriteStartObject("function");
                json.WriteString("id", call.FunctionId);
                json.WriteString("name", call.Name);
                json.WriteString("arguments", call.Arguments);
                json.WriteEndObject();
                json.WriteEndObject();
                break;
            case UsageChunk usage:
                json.WriteString("type", "usage");
                json.WriteNumber("inputTokens", usage.InputTokens);
                json.WriteNumber("outputTokens", usage.OutputTokens);
                WriteIfPresent(json, "cacheReadTokens", usage.CacheReadTokens);
                WriteIfPresent(json, "cacheWriteTokens", usage.CacheWriteTokens);
                WriteIfPresent(json, "thoughtsTokenCount", usage.ReasoningTokens);
                if (usage.TotalCost is { } cost)
                {
                    json.WriteNumber("totalCost", cost);
                }

                break;
        }

        json.WriteEndObject();
    }

    // Details are raw JSON by contract; a provider that broke it still gets its text through, as a string.
    private static void WriteJsonOrString(Utf8JsonWriter json, string raw)
    {
        try
        {
            json.WriteRawValue(raw);
        }
        catch (JsonException)
        {
            json.WriteStringValue(raw);
        }
    }

    private static void WriteIfPresent(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }

    private static void WriteIfPresent(Utf8JsonWriter json, string name, long? value)
    {
        if (value is { } number)
        {
            json.WriteNumber(name, number);
        }
    }
}
