using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SaasPanel.Auth.Data.Migrations
{
    /// <inheritdoc />
    public partial class UserApproval : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "ApprovedAt",
                table: "Users",
                type: "TEXT",
                nullable: true);

            // Everyone who registered before sign-up could need approval was let in when they registered.
            migrationBuilder.Sql("UPDATE \"Users\" SET \"ApprovedAt\" = \"CreatedAt\";");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ApprovedAt",
                table: "Users");
        }
    }
}
