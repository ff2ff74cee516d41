using Kinder.Tests.Infrastructure;

namespace Kinder.Tests.Chat;

/// <summary>Every chat endpoint is in the OpenAPI document with its failures.</summary>
public sealed class ChatOpenApiTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Theory]
    [InlineData("/api/v1/conversations", "post", "200", "201", "400", "401", "403")]
    [InlineData("/api/v1/conversations", "get", "200", "400", "401")]
    [InlineData("/api/v1/conversations/{id}", "get", "200", "401", "404")]
    [InlineData("/api/v1/conversations/{id}/archive", "post", "204", "404")]
    [InlineData("/api/v1/conversations/{id}/unarchive", "post", "204", "404")]
    [InlineData("/api/v1/conversations/{id}/members", "post", "200", "400", "403", "404")]
    [InlineData("/api/v1/conversations/{id}/members/{userId}", "delete", "204", "403", "404")]
    [InlineData("/api/v1/conversations/{id}/messages", "get", "200", "400", "404")]
    [InlineData("/api/v1/conversations/{id}/messages", "post", "202", "400", "403", "404", "429")]
    [InlineData("/api/v1/conversations/{id}/read", "put", "204", "400", "404")]
    [InlineData("/api/v1/conversations/{id}/messages/{messageId}/reactions", "post", "200", "400", "403", "404", "409")]
    [InlineData("/api/v1/conversations/{id}/messages/{messageId}/reactions/{emoji}", "delete", "204", "404")]
    [InlineData("/api/v1/conversations/{id}/messages/{messageId}", "patch", "200", "400", "403", "404", "409")]
    [InlineData("/api/v1/conversations/{id}/messages/{messageId}", "delete", "204", "403", "404")]
    [InlineData("/api/v1/users/{id}/block", "post", "204", "400", "404")]
    [InlineData("/api/v1/users/{id}/block", "delete", "204")]
    [InlineData("/api/v1/users/me/blocks", "get", "200", "400")]
    public async Task The_endpoint_is_documented_with_its_responses(string path, string method, params string[] statuses)
    {
        var document = await api.CreateClient().GetOpenApiDocumentAsync();

        document.AssertDocuments(method, path, statuses);
    }

    [Fact]
    public async Task The_message_and_conversation_shapes_carry_API_md_fields()
    {
        var document = await api.CreateClient().GetOpenApiDocumentAsync();
        var schemas = document.GetProperty("components").GetProperty("schemas");

        var message = schemas.GetProperty("MessageView").GetProperty("properties");
        foreach (var field in new[] { "id", "conversationId", "seq", "senderId", "type", "body", "attachments", "eventId", "reactions", "createdAt" })
        {
            Assert.True(message.TryGetProperty(field, out _), $"message has no {field}");
        }
        var conversation = schemas.GetProperty("ConversationResponse").GetProperty("properties");
        foreach (var field in new[] { "lastMessage", "unreadCount", "members", "type", "title", "eventId", "lastReadSeq", "archived", "readOnly" })
        {
            Assert.True(conversation.TryGetProperty(field, out _), $"conversation has no {field}");
        }
    }
}
