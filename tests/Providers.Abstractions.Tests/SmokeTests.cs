namespace Providers.Abstractions.Tests;

public class SmokeTests
{
    [Fact]
    public async Task Registry_creates_the_provider_and_streams()
    {
        var settings = ProviderSettings.Parse("""{"actModeApiProvider":"echo-provider","echoProviderApiKey":"k","actModeEchoProviderModelId":"m2"}""");
        var handler = ProviderRegistry.Build(settings, Mode.Act);
        Assert.Equal("m2", handler.GetModel().Id);
        var chunks = new List<ApiStreamChunk>();
        await foreach (var c in handler.CreateMessageAsync("hi", []))
        {
            chunks.Add(c);
        }

        Assert.Equal([new TextChunk("hi")], chunks);
    }
}
