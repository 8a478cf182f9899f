-- CreateTable
CREATE TABLE "teams_admin_group" (
    "organization_id" UUID NOT NULL,
    "group_id" UUID NOT NULL,
    "set_by" TEXT NOT NULL,
    "set_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "teams_admin_group_pkey" PRIMARY KEY ("organization_id")
);

-- AddForeignKey
ALTER TABLE "teams_admin_group" ADD CONSTRAINT "teams_admin_group_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
