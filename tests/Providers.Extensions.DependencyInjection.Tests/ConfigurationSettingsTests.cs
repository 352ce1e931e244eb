namespace Providers.Extensions.DependencyInjection.Tests;

public sealed class ConfigurationSettingsTests
{
    [Fact]
    public void Nested_sections_are_rebuilt_as_json_text_for_the_generated_binder_and_values_stay_text()
    {
        var configuration = TestKit.Json("""
            {
              "Providers": {
                "ollamaBaseUrl": "http://localhost:11434",
                "ollamaApiOptionsCtxNum": 8192,
                "planModeOllamaThink": true,
                "openAiHeaders": { "X-Title": "my app", "X-Retries": 2, "X-Debug": true, "X-Version": "1.0.0" },
                "planModeOpenAiModelInfo": { "contextWindow": 128000, "supportsImages": false, "inputPrice": 2.5 },
                "stops": [ "a", "b" ]
              }
            }
            """);

        var settings = configuration.GetSection("Providers").ToProviderSettings();

        Assert.Equal("http://localhost:11434", settings["ollamaBaseUrl"]);
        Assert.Equal("8192", settings["ollamaApiOptionsCtxNum"]);
        Assert.Equal("True", settings["planModeOllamaThink"]);
        // Configuration orders keys; the text is a JSON object the binder reads into a dictionary or a ModelInfo.
        Assert.Equal("""{"X-Debug":true,"X-Retries":2,"X-Title":"my app","X-Version":"1.0.0"}""", settings["openAiHeaders"]);
        Assert.Equal("""{"contextWindow":128000,"inputPrice":2.5,"supportsImages":false}""", settings["planModeOpenAiModelInfo"]);
        Assert.Equal("""["a","b"]""", settings["stops"]);
        Assert.Equal(6, settings.Count);
    }

    [Fact]
    public void Rebuilt_json_binds_through_the_generated_binder_of_a_real_provider()
    {
        var configuration = TestKit.Json("""
            { "Providers": { "ollamaBaseUrl": "http://127.0.0.1:1", "actModeOllamaModelId": "llama3.2", "actModeOllamaThink": false, "ollamaApiOptionsCtxNum": 2048 } }
            """);

        var handler = ProviderRegistry.Create("ollama", configuration.GetSection("Providers").ToProviderSettings(), Mode.Act);

        Assert.Equal("llama3.2", handler.GetModel().Id);
        Assert.Equal(2048, handler.GetModel().Info.ContextWindow);
    }
}
