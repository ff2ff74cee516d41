using System.Globalization;
using System.Text;
using Kinder.Core.Chat;

namespace Kinder.Api.Conversations;

/// <summary>
/// What counts as a reaction: one user-perceived character (a grapheme: 👍, 👍🏽, 👨‍👩‍👧, 🇩🇪, 1️⃣, ❤️) that is a
/// pictographic symbol, no letters, digits or punctuation alone, at most <see cref="MessageReaction.MaxEmojiLength"/>
/// UTF-16 units. Not the full Unicode emoji list, but nothing a client would render as text gets through.
/// </summary>
public static class Emoji
{
    private const int CombiningEnclosingKeycap = 0x20E3;

    public static string? Problem(string? emoji)
    {
        if (string.IsNullOrEmpty(emoji))
        {
            return "An emoji is required.";
        }
        if (emoji.Length > MessageReaction.MaxEmojiLength)
        {
            return $"At most {MessageReaction.MaxEmojiLength} characters.";
        }
        if (new StringInfo(emoji).LengthInTextElements != 1)
        {
            return "One emoji.";
        }
        var pictographic = false;
        foreach (var rune in emoji.EnumerateRunes())
        {
            if (Rune.GetUnicodeCategory(rune) == UnicodeCategory.OtherSymbol || rune.Value == CombiningEnclosingKeycap)
            {
                pictographic = true;
            }
            else if (Rune.IsWhiteSpace(rune) || Rune.IsControl(rune))
            {
                return "Not an emoji.";
            }
        }
        return pictographic ? null : "Not an emoji.";
    }
}
