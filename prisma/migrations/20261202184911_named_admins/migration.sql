-- CreateTable
CREATE TABLE "named_admin" (
    "organization_id" UUID NOT NULL,
    "platform" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "added_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "named_admin_pkey" PRIMARY KEY ("organization_id","platform","user_id")
);

-- AddForeignKey
ALTER TABLE "named_admin" ADD CONSTRAINT "named_admin_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
