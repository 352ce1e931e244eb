using System.Text;

namespace Providers.Tests.Replay;

public class ReplayServerTests
{
    [Fact]
    public async Task Serves_scripted_parts_and_records_the_request()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(new ReplayResponse { Parts = [Encoding.UTF8.GetBytes("data: a\n\n"), Encoding.UTF8.GetBytes("data: b\n\n")] }.OneByteAtATime());
        using var client = new HttpClient();
        var response = await client.PostAsync(new Uri(server.BaseUri, "v1/x?y=1"), new StringContent("{\"q\":1}"));
        Assert.Equal("data: a\n\ndata: b\n\n", await response.Content.ReadAsStringAsync());
        var request = Assert.Single(server.Requests);
        Assert.Equal(("POST", "/v1/x?y=1", "{\"q\":1}"), (request.Method, request.PathAndQuery, request.Body));
    }

    [Fact]
    public async Task Answers_599_once_the_script_is_exhausted()
    {
        await using var server = await ReplayServer.StartAsync();
        using var client = new HttpClient();
        var response = await client.GetAsync(server.BaseUri);
        Assert.Equal(599, (int)response.StatusCode);
    }
}
