using Providers.Anthropic;
using Providers.Ollama;
using Providers.OpenRouter;

namespace Providers.Tests;

/// <summary>Options built in code are checked by the handler's constructor under the keys the settings binder reads.</summary>
public class ConstructorValidationTests
{
    [Fact]
    public void Anthropic_names_the_api_key_and_both_thinking_budget_keys()
    {
        var error = Assert.Throws<ProviderConfigurationException>(() => new AnthropicHandler(new AnthropicOptions { ApiKey = " ", ThinkingBudgetTokens = -1 }));

        Assert.Equal("anthropic", error.ProviderId);
        Assert.Equal(["apiKey", "planModeThinkingBudgetTokens/actModeThinkingBudgetTokens"], error.Keys);
        Assert.Equal("missing: set your Anthropic API key (console.anthropic.com, Settings > API keys)", error.Problems[0].Problem);
        Assert.Equal("must be 0 (off) or a positive number of tokens, not -1", error.Problems[1].Problem);
    }

    [Fact]
    public void Ollama_names_both_model_keys_and_the_context_size_key()
    {
        var error = Assert.Throws<ProviderConfigurationException>(() => new OllamaHandler(new OllamaOptions { ContextSize = 0 }));

        Assert.Equal("ollama", error.ProviderId);
        Assert.Equal(["planModeOllamaModelId/actModeOllamaModelId", "ollamaApiOptionsCtxNum"], error.Keys);
    }

    [Fact]
    public void OpenRouter_refuses_options_without_an_api_key()
    {
        var error = Assert.Throws<ProviderConfigurationException>(() => new OpenRouterHandler(new OpenRouterOptions { ModelId = "openai/gpt-4.1" }));

        Assert.Equal("openrouter", error.ProviderId);
        Assert.Equal(["openRouterApiKey"], error.Keys);
        Assert.StartsWith("missing: set your OpenRouter API key", error.Problems[0].Problem, StringComparison.Ordinal);
    }
}
