using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using NetTopologySuite.Geometries;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace Kinder.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class Accounts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "interests",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false),
                    slug = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    name = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    group = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_interests", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "users",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    email = table.Column<string>(type: "citext", maxLength: 254, nullable: false),
                    display_name = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    password_hash = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    email_verified = table.Column<bool>(type: "boolean", nullable: false),
                    email_verified_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    google_subject = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    bio = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    birth_date = table.Column<DateOnly>(type: "date", nullable: true),
                    location = table.Column<Point>(type: "geography (point, 4326)", nullable: true),
                    city = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: true),
                    avatar_key = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    roles = table.Column<List<string>>(type: "text[]", nullable: false),
                    onboarding_completed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    deleted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_users", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "account_tokens",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    purpose = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    token_hash = table.Column<byte[]>(type: "bytea", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    used_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_account_tokens", x => x.id);
                    table.ForeignKey(
                        name: "fk_account_tokens_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "onboarding_steps",
                columns: table => new
                {
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    step = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    state = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    data = table.Column<string>(type: "jsonb", nullable: true),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_onboarding_steps", x => new { x.user_id, x.step });
                    table.ForeignKey(
                        name: "fk_onboarding_steps_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "refresh_tokens",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    family_id = table.Column<Guid>(type: "uuid", nullable: false),
                    token_hash = table.Column<byte[]>(type: "bytea", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    revoked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    revoked_reason = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    replaced_by_id = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_refresh_tokens", x => x.id);
                    table.ForeignKey(
                        name: "fk_refresh_tokens_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "user_preferences",
                columns: table => new
                {
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    key = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    value = table.Column<string>(type: "jsonb", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_user_preferences", x => new { x.user_id, x.key });
                    table.ForeignKey(
                        name: "fk_user_preferences_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.InsertData(
                table: "interests",
                columns: new[] { "id", "group", "name", "slug" },
                values: new object[,]
                {
                    { 101, "sports", "Running", "running" },
                    { 102, "sports", "Football", "football" },
                    { 103, "sports", "Basketball", "basketball" },
                    { 104, "sports", "Tennis & padel", "tennis" },
                    { 105, "sports", "Cycling", "cycling" },
                    { 106, "sports", "Swimming", "swimming" },
                    { 107, "sports", "Climbing & bouldering", "climbing" },
                    { 201, "outdoors", "Hiking", "hiking" },
                    { 202, "outdoors", "Camping", "camping" },
                    { 203, "outdoors", "Kayaking & paddling", "paddling" },
                    { 204, "outdoors", "Birdwatching & nature walks", "birdwatching" },
                    { 205, "outdoors", "Gardening", "gardening" },
                    { 301, "arts", "Painting & drawing", "painting" },
                    { 302, "arts", "Photography", "photography" },
                    { 303, "arts", "Theatre", "theatre" },
                    { 304, "arts", "Museums & galleries", "museums" },
                    { 305, "arts", "Crafts & DIY", "crafts" },
                    { 306, "arts", "Creative writing", "writing" },
                    { 307, "arts", "Film & cinema", "film" },
                    { 401, "music", "Live music", "live_music" },
                    { 402, "music", "Singing & choirs", "singing" },
                    { 403, "music", "Jazz", "jazz" },
                    { 404, "music", "Electronic music & DJing", "electronic_music" },
                    { 405, "music", "Jam sessions", "jam_sessions" },
                    { 501, "food_and_drink", "Cooking", "cooking" },
                    { 502, "food_and_drink", "Wine tasting", "wine_tasting" },
                    { 503, "food_and_drink", "Craft beer", "craft_beer" },
                    { 504, "food_and_drink", "Coffee", "coffee" },
                    { 505, "food_and_drink", "Food markets & street food", "food_markets" },
                    { 506, "food_and_drink", "Baking", "baking" },
                    { 601, "technology", "Programming", "programming" },
                    { 602, "technology", "Startups", "startups" },
                    { 603, "technology", "AI & data", "ai_and_data" },
                    { 604, "technology", "Makers & electronics", "maker" },
                    { 605, "technology", "Design & UX", "design_ux" },
                    { 701, "wellness", "Yoga", "yoga" },
                    { 702, "wellness", "Meditation & mindfulness", "meditation" },
                    { 703, "wellness", "Gym & fitness", "fitness" },
                    { 704, "wellness", "Dance", "dance" },
                    { 705, "wellness", "Pilates", "pilates" },
                    { 801, "social_and_games", "Board games", "board_games" },
                    { 802, "social_and_games", "Video games", "video_games" },
                    { 803, "social_and_games", "Pub quizzes & trivia", "trivia" },
                    { 804, "social_and_games", "Language exchange", "language_exchange" },
                    { 805, "social_and_games", "Book clubs", "book_club" },
                    { 806, "social_and_games", "Volunteering", "volunteering" },
                    { 807, "social_and_games", "Networking", "networking" }
                });

            migrationBuilder.CreateIndex(
                name: "ix_account_tokens_token_hash",
                table: "account_tokens",
                column: "token_hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_account_tokens_user_id_purpose",
                table: "account_tokens",
                columns: new[] { "user_id", "purpose" });

            migrationBuilder.CreateIndex(
                name: "ix_interests_slug",
                table: "interests",
                column: "slug",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_refresh_tokens_token_hash",
                table: "refresh_tokens",
                column: "token_hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_refresh_tokens_user_id_family_id",
                table: "refresh_tokens",
                columns: new[] { "user_id", "family_id" });

            migrationBuilder.CreateIndex(
                name: "ix_users_email",
                table: "users",
                column: "email",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_users_google_subject",
                table: "users",
                column: "google_subject",
                unique: true,
                filter: "google_subject IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_users_location",
                table: "users",
                column: "location")
                .Annotation("Npgsql:IndexMethod", "gist");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "account_tokens");

            migrationBuilder.DropTable(
                name: "interests");

            migrationBuilder.DropTable(
                name: "onboarding_steps");

            migrationBuilder.DropTable(
                name: "refresh_tokens");

            migrationBuilder.DropTable(
                name: "user_preferences");

            migrationBuilder.DropTable(
                name: "users");
        }
    }
}
