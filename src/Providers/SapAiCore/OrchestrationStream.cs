using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Providers.Http;
using Providers.OpenAi;

namespace Providers.SapAiCore;

/// <summary>
/// Cline's orchestration mode: the request body of the orchestration service (<see cref="OrchestrationRequest"/>) and
/// the reader of its stream. The stream's <c>final_result</c> chunks are read as Chat Completions deltas: text, tool-call
/// fragments and the usage; an <c>error</c> event ends the stream with a <see cref="ProviderException"/>.
/// </summary>
internal static class OrchestrationStream
{
    private static readonly List<ToolCallDelta> NoToolCalls = [];

    private readonly record struct Item(OrchestrationStreamEvent? Event, bool Done, bool Malformed);

    /// <summary>
    /// The body Cline's SDK sends: the system prompt as the template's one message, the tools in the template, the model
    /// by name with usage asked for, and the conversation (Chat Completions messages) as history.
    /// </summary>
    public static OrchestrationRequest Body(string modelId, string systemPrompt, IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition>? tools)
    {
        var history = OpenAiMessageConverter.ToChatMessages(systemPrompt, "system", messages);
        var system = history[0];
        history.RemoveAt(0);
        return new OrchestrationRequest
        {
            Config = new OrchestrationConfig
            {
                Modules = new OrchestrationModules
                {
                    PromptTemplating = new PromptTemplatingModule
                    {
                        Model = new OrchestrationModel { Name = modelId },
                        Prompt = new OrchestrationPrompt { Template = [system], Tools = OpenAiHandler.ToWireTools(tools) },
                    },
                },
            },
            MessagesHistory = history,
        };
    }

    /// <summary>Reads the stream; it is complete at <c>data: [DONE]</c> or after a choice with a finish reason.</summary>
    public static async IAsyncEnumerable<ApiStreamChunk> ReadAsync(
        Stream body, string providerId, ProviderOptions options, ModelInfo modelInfo, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var toolCalls = new ToolCallAssembler(providerId);
        var finished = false;
        await foreach (var item in StreamReaders.ReadSseAsync(body, Parse, providerId, options, cancellationToken).ConfigureAwait(false))
        {
            if (item.Done)
            {
                finished = true;
                break;
            }

            if (item.Malformed)
            {
                throw OpenAiStreamErrors.Malformed(providerId, "orchestration");
            }

            if (item.Event is not { } e)
            {
                continue;
            }

            if (e.Error is { ValueKind: JsonValueKind.Object or JsonValueKind.Array } error)
            {
                throw ErrorOf(providerId, options, error);
            }

            var chunk = e.FinalResult;
            foreach (var choice in chunk?.Choices ?? [])
            {
                if (choice.Delta is { } delta)
                {
                    if (!string.IsNullOrEmpty(delta.Content))
                    {
                        yield return new TextChunk(delta.Content);
                    }

                    foreach (var call in delta.ToolCalls ?? NoToolCalls)
                    {
                        if (toolCalls.Accept(call) is { } toolCall)
                        {
                            yield return toolCall;
                        }
                    }
                }

                finished |= !string.IsNullOrEmpty(choice.FinishReason);
            }

            if (chunk?.Usage is { } usage)
            {
                yield return ChatCompletionsStream.ToUsage(usage, modelInfo);
            }
        }

        if (!finished)
        {
            throw OpenAiStreamErrors.CutOff(providerId, "'data: [DONE]' or a finish reason");
        }
    }

    /// <summary>
    /// An error the orchestration service reported (<c>{code, message, location}</c>, or a list of them, the first
    /// read): the code is the HTTP status it stands for, so 429 and 5xx are retryable; the message is redacted.
    /// </summary>
    internal static ProviderException ErrorOf(string providerId, ProviderOptions options, JsonElement error)
    {
        if (error.ValueKind == JsonValueKind.Array)
        {
            error = error.EnumerateArray().FirstOrDefault(e => e.ValueKind == JsonValueKind.Object);
        }

        int? code = error.ValueKind == JsonValueKind.Object && error.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.Number && c.TryGetInt32(out var n) ? n : null;
        var message = Text(error, "message") ?? "no details";
        var location = Text(error, "location");
        var status = code is >= 400 and <= 599 ? (HttpStatusCode?)code : null;
        return new ProviderException(
            providerId,
            $"SAP AI Core's orchestration service reported an error{(code is null ? "" : " " + code.Value.ToString(CultureInfo.InvariantCulture))}"
            + $"{(location is null ? "" : " in " + ServerText.Clean(location, options.Secrets, 200))}: {ServerText.Clean(message, options.Secrets)}",
            status,
            isRetryable: status is null ? false : null)
        { ErrorType = code is null ? "orchestration_error" : "orchestration_" + code.Value.ToString(CultureInfo.InvariantCulture) };
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static Item Parse(string eventType, ReadOnlySpan<byte> data)
    {
        data = data.Trim((byte)' ');
        if (data.IsEmpty)
        {
            return default;
        }

        if (data.SequenceEqual("[DONE]"u8))
        {
            return new Item(null, Done: true, Malformed: false);
        }

        try
        {
            return new Item(JsonSerializer.Deserialize(data, SapOrchestrationJsonContext.Default.OrchestrationStreamEvent), Done: false, Malformed: false);
        }
        catch (JsonException)
        {
            return new Item(null, Done: false, Malformed: true);
        }
    }
}
