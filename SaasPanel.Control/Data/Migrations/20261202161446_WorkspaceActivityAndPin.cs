using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SaasPanel.Control.Data.Migrations
{
    /// <inheritdoc />
    public partial class WorkspaceActivityAndPin : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "LastActivityAt",
                table: "Workspaces",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "Pinned",
                table: "Workspaces",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "LastActivityAt",
                table: "Workspaces");

            migrationBuilder.DropColumn(
                name: "Pinned",
                table: "Workspaces");
        }
    }
}
