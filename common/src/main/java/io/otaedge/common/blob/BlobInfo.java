package io.otaedge.common.blob;

/** What the store knows of a committed blob: its address (sha256), its md5, its size and its sha1. */
public record BlobInfo(String sha256, String md5, long size, String sha1) {
}
