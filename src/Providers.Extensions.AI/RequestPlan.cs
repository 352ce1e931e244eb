using AI = Microsoft.Extensions.AI;

namespace Providers;

/// <summary>
/// What of a <see cref="AI.ChatOptions"/> a handler will honour: the tools, the overrides it supports, the model that
/// will really answer, and the names of the options it cannot apply (reported, never silently dropped).
/// </summary>
internal sealed record RequestPlan(IReadOnlyList<ToolDefinition>? Tools, RequestOverrides? Overrides, string ModelId, IReadOnlyList<string> Ignored)
{
    public static RequestPlan For(IApiHandler handler, AI.ChatOptions? options)
    {
        var model = handler.GetModel().Id;
        if (options is null)
        {
            return new RequestPlan(null, null, model, []);
        }

        var ignored = new List<string>();
        var requested = new RequestOverrides
        {
            ModelId = options.ModelId,
            Temperature = options.Temperature,
            MaxOutputTokens = options.MaxOutputTokens,
            ReasoningEffort = options.Reasoning?.Effort is { } effort ? Map(effort) : null,
        };
        var supported = handler is IApiHandlerWithOverrides withOverrides ? withOverrides.SupportedOverrides : RequestOverrideKinds.None;
        var unsupported = requested.Requested & ~supported;
        AddIf(ignored, unsupported.HasFlag(RequestOverrideKinds.ModelId), nameof(AI.ChatOptions.ModelId));
        AddIf(ignored, unsupported.HasFlag(RequestOverrideKinds.Temperature), nameof(AI.ChatOptions.Temperature));
        AddIf(ignored, unsupported.HasFlag(RequestOverrideKinds.MaxOutputTokens), nameof(AI.ChatOptions.MaxOutputTokens));
        AddIf(ignored, unsupported.HasFlag(RequestOverrideKinds.ReasoningEffort), nameof(AI.ChatOptions.Reasoning));
        AddIf(ignored, options.TopP is not null, nameof(AI.ChatOptions.TopP));
        AddIf(ignored, options.TopK is not null, nameof(AI.ChatOptions.TopK));
        AddIf(ignored, options.FrequencyPenalty is not null, nameof(AI.ChatOptions.FrequencyPenalty));
        AddIf(ignored, options.PresencePenalty is not null, nameof(AI.ChatOptions.PresencePenalty));
        AddIf(ignored, options.Seed is not null, nameof(AI.ChatOptions.Seed));
        AddIf(ignored, options.StopSequences is { Count: > 0 }, nameof(AI.ChatOptions.StopSequences));
        AddIf(ignored, options.ResponseFormat is not null and not AI.ChatResponseFormatText, nameof(AI.ChatOptions.ResponseFormat));
        AddIf(ignored, options.ToolMode is AI.RequiredChatToolMode, nameof(AI.ChatOptions.ToolMode));

        List<ToolDefinition>? tools = null;
        if (options.ToolMode is not AI.NoneChatToolMode)
        {
            foreach (var tool in options.Tools ?? [])
            {
                if (tool is AI.AIFunctionDeclaration function)
                {
                    (tools ??= []).Add(MessageConversion.ToToolDefinition(function));
                }
                else
                {
                    ignored.Add($"{nameof(AI.ChatOptions.Tools)}:{tool.Name}");
                }
            }
        }

        var applied = requested.Only(supported);
        var modelId = applied.ModelId ?? model;
        return new RequestPlan(tools, applied.Requested == RequestOverrideKinds.None ? null : applied, modelId, ignored);
    }

    public AI.AdditionalPropertiesDictionary? IgnoredProperties() =>
        Ignored.Count == 0 ? null : new() { [ProvidersChatClientExtensions.IgnoredOptionsKey] = Ignored.ToArray() };

    private static ReasoningEffort Map(AI.ReasoningEffort effort) => effort switch
    {
        AI.ReasoningEffort.None => ReasoningEffort.None,
        AI.ReasoningEffort.Low => ReasoningEffort.Low,
        AI.ReasoningEffort.Medium => ReasoningEffort.Medium,
        AI.ReasoningEffort.High => ReasoningEffort.High,
        _ => ReasoningEffort.ExtraHigh,
    };

    private static void AddIf(List<string> list, bool condition, string name)
    {
        if (condition)
        {
            list.Add(name);
        }
    }
}
