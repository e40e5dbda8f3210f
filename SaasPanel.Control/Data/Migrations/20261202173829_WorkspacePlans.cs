using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SaasPanel.Control.Data.Migrations
{
    /// <inheritdoc />
    public partial class WorkspacePlans : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Plan",
                table: "Workspaces",
                type: "TEXT",
                maxLength: 32,
                nullable: false,
                defaultValue: "standard");

            migrationBuilder.CreateTable(
                name: "Plans",
                columns: table => new
                {
                    Name = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    MemoryLimitMb = table.Column<int>(type: "INTEGER", nullable: false),
                    CpuLimit = table.Column<double>(type: "REAL", nullable: false),
                    PidsLimit = table.Column<int>(type: "INTEGER", nullable: false),
                    IdleTimeout = table.Column<TimeSpan>(type: "TEXT", nullable: false),
                    MaxAge = table.Column<TimeSpan>(type: "TEXT", nullable: false),
                    MaxWorkspaces = table.Column<int>(type: "INTEGER", nullable: true),
                    AllowedTemplates = table.Column<string>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Plans", x => x.Name);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Workspaces_Plan",
                table: "Workspaces",
                column: "Plan");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Plans");

            migrationBuilder.DropIndex(
                name: "IX_Workspaces_Plan",
                table: "Workspaces");

            migrationBuilder.DropColumn(
                name: "Plan",
                table: "Workspaces");
        }
    }
}
