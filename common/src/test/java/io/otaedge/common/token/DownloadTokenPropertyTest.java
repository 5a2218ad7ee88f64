package io.otaedge.common.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** {@link DownloadToken#isWellFormed} against any string a device can put in a download path: it agrees with the documented shape. */
class DownloadTokenPropertyTest {

    private static final Pattern SHAPE = Pattern.compile("ota_[0-9A-Za-z]{20,64}");

    @Property(tries = 5000)
    void wellFormedIsExactlyTheDocumentedShape(@ForAll("candidates") String s) {
        assertThat(DownloadToken.isWellFormed(s)).as(s).isEqualTo(SHAPE.matcher(s).matches());
    }

    @Property(tries = 200)
    void everyIssuedTokenIsWellFormedAndTwentyFourCharacters() {
        String t = DownloadToken.generate();
        assertThat(t).hasSize(24);
        assertThat(DownloadToken.isWellFormed(t)).isTrue();
    }

    @Provide
    Arbitrary<String> candidates() {
        Arbitrary<String> base62 = Arbitraries.strings().withCharRange('0', '9').withCharRange('A', 'Z').withCharRange('a', 'z')
                .ofMinLength(15).ofMaxLength(70);
        return Arbitraries.oneOf(
                base62.map(s -> "ota_" + s),
                base62.map(s -> "OTA_" + s),
                Arbitraries.strings().ofMaxLength(30).map(s -> "ota_" + s),
                Arbitraries.strings().ofMaxLength(90));
    }
}
