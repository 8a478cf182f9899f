-- CreateTable
CREATE TABLE "chart_image" (
    "id" TEXT NOT NULL,
    "png" BYTEA NOT NULL,
    "width" INTEGER NOT NULL,
    "height" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "chart_image_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "digest_chart" (
    "digest_id" UUID NOT NULL,
    "spec_id" UUID NOT NULL,
    "image_id" TEXT NOT NULL,
    "alt_text" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "digest_chart_pkey" PRIMARY KEY ("digest_id","spec_id")
);

-- CreateTable
CREATE TABLE "chart_link_key" (
    "id" SMALLINT NOT NULL DEFAULT 1,
    "secret" BYTEA NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "chart_link_key_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "digest_chart_image_id_idx" ON "digest_chart"("image_id");

-- AddForeignKey
ALTER TABLE "digest_chart" ADD CONSTRAINT "digest_chart_digest_id_fkey" FOREIGN KEY ("digest_id") REFERENCES "digest"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "digest_chart" ADD CONSTRAINT "digest_chart_image_id_fkey" FOREIGN KEY ("image_id") REFERENCES "chart_image"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Hand-written: one signing key of 32 bytes; a chart id is a sha256 in hex.
ALTER TABLE "chart_link_key" ADD CONSTRAINT "chart_link_key_single" CHECK ("id" = 1 AND octet_length("secret") = 32);
ALTER TABLE "chart_image" ADD CONSTRAINT "chart_image_id_is_sha256" CHECK ("id" ~ '^[0-9a-f]{64}$');
