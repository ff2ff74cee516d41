using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kinder.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class AdminAnalytics : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "daily_activity",
                columns: table => new
                {
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    signups = table.Column<long>(type: "bigint", nullable: false),
                    events_created = table.Column<long>(type: "bigint", nullable: false),
                    rsvps = table.Column<long>(type: "bigint", nullable: false),
                    messages = table.Column<long>(type: "bigint", nullable: false),
                    revenue_minor = table.Column<long>(type: "bigint", nullable: false),
                    currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    computed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_daily_activity", x => x.day);
                });

            migrationBuilder.CreateIndex(
                name: "ix_refresh_tokens_created_at_user_id",
                table: "refresh_tokens",
                columns: new[] { "created_at", "user_id" });

            migrationBuilder.CreateIndex(
                name: "ix_payments_created_at_succeeded",
                table: "payments",
                column: "created_at",
                filter: "status = 'Succeeded'")
                .Annotation("Npgsql:IndexInclude", new[] { "amount_minor", "currency" });

            migrationBuilder.CreateIndex(
                name: "ix_events_starts_at_published",
                table: "events",
                column: "starts_at",
                filter: "status = 'Published'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "daily_activity");

            migrationBuilder.DropIndex(
                name: "ix_refresh_tokens_created_at_user_id",
                table: "refresh_tokens");

            migrationBuilder.DropIndex(
                name: "ix_payments_created_at_succeeded",
                table: "payments");

            migrationBuilder.DropIndex(
                name: "ix_events_starts_at_published",
                table: "events");
        }
    }
}
