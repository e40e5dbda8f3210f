using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SaasPanel.Control.Data.Migrations
{
    /// <inheritdoc />
    public partial class WorkspaceTemplatesAndEndpoints : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "HostPort",
                table: "Workspaces");

            migrationBuilder.AddColumn<string>(
                name: "Endpoint",
                table: "Workspaces",
                type: "TEXT",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Template",
                table: "Workspaces",
                type: "TEXT",
                maxLength: 32,
                nullable: false,
                // Every workspace before templates ran the built-in UserApp; the reconciler rolls it onto the network.
                defaultValue: "userapp");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Endpoint",
                table: "Workspaces");

            migrationBuilder.DropColumn(
                name: "Template",
                table: "Workspaces");

            migrationBuilder.AddColumn<int>(
                name: "HostPort",
                table: "Workspaces",
                type: "INTEGER",
                nullable: true);
        }
    }
}
