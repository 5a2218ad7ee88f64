package io.otaedge.edge.download;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ContentDispositionTest {

    @Test
    void aPlainNameIsQuotedAsIs() {
        assertThat(ContentDisposition.attachment("fw-1.2.0.bin")).isEqualTo("attachment; filename=\"fw-1.2.0.bin\"");
    }

    @Test
    void quotesAreEscapedAndPathsDropped() {
        assertThat(ContentDisposition.attachment("a/b/x \"q\".bin")).isEqualTo("attachment; filename=\"x \\\"q\\\".bin\"");
        assertThat(ContentDisposition.attachment("c:\\dir\\fw.bin")).isEqualTo("attachment; filename=\"fw.bin\"");
        assertThat(ContentDisposition.attachment("")).isEqualTo("attachment; filename=\"firmware.bin\"");
    }

    @Test
    void aShortNonAsciiNameAlsoGoesAsFilenameStar() {
        assertThat(ContentDisposition.attachment("固件.bin"))
                .isEqualTo("attachment; filename=\"__.bin\"; filename*=UTF-8''%E5%9B%BA%E4%BB%B6.bin");
    }

    @ParameterizedTest
    @ValueSource(ints = {57, 58, 80, 128})
    void aLongNameKeepsItsExtensionAndFitsTheValueCap(int length) {
        String name = "x".repeat(length - 4) + ".bin";
        String value = ContentDisposition.attachment(name);
        assertThat(value).hasSizeLessThanOrEqualTo(ContentDisposition.MAX_VALUE).startsWith("attachment; filename=\"xxx")
                .endsWith(".bin\"");
        if (length <= 57) {
            assertThat(value).contains(name);
        }
    }

    @Test
    void aLongNameOfEscapedCharactersNeverSplitsAnEscape() {
        String value = ContentDisposition.attachment("\"".repeat(100) + ".bin");
        assertThat(value).hasSizeLessThanOrEqualTo(ContentDisposition.MAX_VALUE).endsWith("\\\".bin\"");
    }

    @Test
    void aLongNonAsciiNameLeavesOutFilenameStar() {
        String value = ContentDisposition.attachment("固件".repeat(20) + ".bin");
        assertThat(value).hasSizeLessThanOrEqualTo(ContentDisposition.MAX_VALUE).doesNotContain("filename*").endsWith(".bin\"");
    }
}
