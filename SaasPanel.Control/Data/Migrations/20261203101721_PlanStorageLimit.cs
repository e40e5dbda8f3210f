using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SaasPanel.Control.Data.Migrations
{
    /// <inheritdoc />
    public partial class PlanStorageLimit : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "StorageLimitMb",
                table: "Plans",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "StorageLimitMb",
                table: "Plans");
        }
    }
}
