using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SaasPanel.Control.Data.Migrations
{
    /// <inheritdoc />
    public partial class WorkspaceSuspended : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "Suspended",
                table: "Workspaces",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Suspended",
                table: "Workspaces");
        }
    }
}
