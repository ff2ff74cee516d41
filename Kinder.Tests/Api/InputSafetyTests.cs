using System.Net;
using System.Net.Http.Json;
using System.Text;
using Kinder.Core;
using Kinder.Tests.Chat;
using Kinder.Tests.Events;
using Kinder.Tests.Infrastructure;

namespace Kinder.Tests.Api;

/// <summary>
/// Text the database cannot store (control characters, unpaired surrogates) is refused at the door as
/// <c>400 VALIDATION_FAILED</c> on the field, wherever it is sent; names others see refuse bidi overrides; binding
/// failures name fields, never .NET types.
/// </summary>
public sealed class InputSafetyTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private const string Nul = "a\u0000b";

    [Theory]
    [InlineData("title")]
    [InlineData("description")]
    [InlineData("currency")]
    public async Task A_control_character_in_an_event_field_is_a_400_on_that_field(string field)
    {
        var body = EventsDriver.ValidEvent(priceMinor: 100, currency: "EUR");
        body[field] = field == "currency" ? "E\u0001R" : Nul;

        var response = await api.CreateClientFor(await api.CreateUserAsync()).PostAsJsonAsync("/api/v1/events", body);

        await response.AssertFieldErrorAsync(field);
    }

    [Fact]
    public async Task A_control_character_in_a_nested_or_listed_field_is_named_by_its_path()
    {
        var body = EventsDriver.ValidEvent();
        body["location"] = new { latitude = 52.5, longitude = 13.4, city = Nul };
        body["imageKeys"] = new[] { "fine", Nul };

        var response = await api.CreateClientFor(await api.CreateUserAsync()).PostAsJsonAsync("/api/v1/events", body);

        var problem = await response.AssertFieldErrorAsync("location.city");
        Assert.True(problem.GetProperty("errors").TryGetProperty("imageKeys[1]", out _), problem.ToString());
    }

    [Theory]
    [InlineData("displayName")]
    [InlineData("bio")]
    public async Task A_control_character_in_the_profile_is_a_400(string field)
    {
        var body = new Dictionary<string, object?> { ["displayName"] = "Ada", ["bio"] = "Hello", [field] = "x\u001Fy" };

        var response = await api.CreateClientFor(await api.CreateUserAsync()).PutAsJsonAsync("/api/v1/users/profile", body);

        await response.AssertFieldErrorAsync(field);
    }

    [Fact]
    public async Task Tab_CR_and_LF_are_ordinary_text()
    {
        var response = await api.CreateClientFor(await api.CreateUserAsync())
            .PutAsJsonAsync("/api/v1/users/profile", new { displayName = "Ada", bio = "line one\r\n\tline two\n" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task An_unpaired_surrogate_is_a_400_not_a_500()
    {
        var response = await api.CreateClientFor(await api.CreateUserAsync()).PutAsync("/api/v1/users/profile",
            new StringContent("{\"displayName\":\"Ada\",\"bio\":\"x\\ud800y\"}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await response.AssertProblemAsync(HttpStatusCode.BadRequest, ErrorCodes.ValidationFailed);
    }

    [Fact]
    public async Task A_control_character_in_a_login_email_is_a_400()
    {
        var response = await api.CreateClient().PostAsJsonAsync("/api/v1/auth/login",
            new { email = "a\u0000@example.test", password = "Password1" });

        await response.AssertFieldErrorAsync("email");
    }

    [Fact]
    public async Task A_control_character_in_the_search_text_is_a_400_on_q()
    {
        var response = await api.CreateClientFor(await api.CreateUserAsync()).GetAsync("/api/v1/events/search?q=hike%00");

        await response.AssertFieldErrorAsync("q");
    }

    [Fact]
    public async Task A_control_character_in_a_route_value_is_a_400()
    {
        var (sender, client) = await api.CreateChatUserAsync("Sender");
        var (other, _) = await api.CreateChatUserAsync("Other");
        var conversationId = await client.DirectAsync(other.Id);

        var response = await client.DeleteAsync(
            $"/api/v1/conversations/{conversationId}/messages/{Guid.NewGuid()}/reactions/%01");

        await response.AssertFieldErrorAsync("emoji");
    }

    [Fact]
    public async Task A_chat_body_with_U0000_is_refused_before_it_is_queued()
    {
        var (_, client) = await api.CreateChatUserAsync("Sender");
        var (other, _) = await api.CreateChatUserAsync("Other");
        var conversationId = await client.DirectAsync(other.Id);

        var response = await client.PostAsJsonAsync($"/api/v1/conversations/{conversationId}/messages",
            new { clientMessageId = "c-1", body = Nul });

        await response.AssertFieldErrorAsync("body");
    }

    [Theory]
    [InlineData("\u202E")]
    [InlineData("\u2066")]
    public async Task Bidi_controls_in_an_event_title_are_a_400(string control)
    {
        var body = EventsDriver.ValidEvent();
        body["title"] = $"Hike {control}ekih";

        var response = await api.CreateClientFor(await api.CreateUserAsync()).PostAsJsonAsync("/api/v1/events", body);

        await response.AssertFieldErrorAsync("title");
    }

    [Fact]
    public async Task Bidi_controls_in_a_display_name_are_a_400()
    {
        var response = await api.CreateClientFor(await api.CreateUserAsync())
            .PutAsJsonAsync("/api/v1/users/profile", new { displayName = "Ada \u202Egnp.exe" });

        await response.AssertFieldErrorAsync("displayName");
    }

    [Fact]
    public async Task Bidi_controls_in_a_group_title_are_a_400()
    {
        var (_, client) = await api.CreateChatUserAsync("Owner");
        var (other, _) = await api.CreateChatUserAsync("Other");

        var response = await client.PostAsJsonAsync("/api/v1/conversations",
            new { type = "group", memberIds = new[] { other.Id }, title = "Team \u202Dx" });

        await response.AssertFieldErrorAsync("title");
    }

    [Fact]
    public async Task A_price_above_the_bound_is_a_400()
    {
        var response = await api.CreateClientFor(await api.CreateUserAsync()).PostAsJsonAsync("/api/v1/events",
            EventsDriver.ValidEvent(priceMinor: 100_000_001, currency: "EUR"));

        await response.AssertFieldErrorAsync("priceMinor");
    }

    [Fact]
    public async Task A_start_more_than_two_years_ahead_is_a_400()
    {
        var body = EventsDriver.ValidEvent();
        body["startsAt"] = DateTimeOffset.UtcNow.AddYears(3).ToString("O");
        body["endsAt"] = DateTimeOffset.UtcNow.AddYears(3).AddHours(2).ToString("O");

        var response = await api.CreateClientFor(await api.CreateUserAsync()).PostAsJsonAsync("/api/v1/events", body);

        await response.AssertFieldErrorAsync("startsAt");
    }

    [Fact]
    public async Task A_value_of_the_wrong_type_is_a_field_error_that_names_no_dotnet_type()
    {
        var body = EventsDriver.ValidEvent();
        body["startsAt"] = 42;

        var response = await api.CreateClientFor(await api.CreateUserAsync()).PostAsJsonAsync("/api/v1/events", body);

        var text = await response.Content.ReadAsStringAsync();
        await response.AssertFieldErrorAsync("startsAt");
        Assert.DoesNotContain("System.", text);
        Assert.DoesNotContain("Kinder.", text);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"text\"")]
    [InlineData("42")]
    public async Task A_body_that_is_not_an_object_names_no_dotnet_type(string json)
    {
        var response = await api.CreateClientFor(await api.CreateUserAsync()).PostAsync("/api/v1/events",
            new StringContent(json, Encoding.UTF8, "application/json"));

        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain("Kinder.", text);
        Assert.DoesNotContain("EventRequest", text);
    }

    [Fact]
    public async Task A_null_body_names_no_dotnet_type()
    {
        var response = await api.CreateClientFor(await api.CreateUserAsync()).PostAsync("/api/v1/events",
            new StringContent("null", Encoding.UTF8, "application/json"));

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("EventRequest", text);
    }

    [Fact]
    public async Task A_query_value_that_does_not_parse_is_a_field_error()
    {
        var response = await api.CreateClientFor(await api.CreateUserAsync()).GetAsync("/api/v1/conversations?limit=abc");

        var text = await response.Content.ReadAsStringAsync();
        await response.AssertFieldErrorAsync("limit");
        Assert.DoesNotContain("Int32", text);
        Assert.DoesNotContain("int?", text);
    }
}
