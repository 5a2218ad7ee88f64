package io.otaedge.common.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DownloadTokenTest {

    @Test
    void generatedTokensAre24CharactersLikeOneNetsOwn() {
        String t = DownloadToken.generate();
        assertThat(t).matches("ota_[0-9A-Za-z]{20}").hasSize(24);
        assertThat(DownloadToken.isWellFormed(t)).isTrue();
    }

    @Test
    void generatedTokensDoNotRepeat() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            assertThat(seen.add(DownloadToken.generate())).isTrue();
        }
    }

    @Test
    void malformedTokensAreRecognised() {
        assertThat(DownloadToken.isWellFormed("")).isFalse();
        assertThat(DownloadToken.isWellFormed("ota_short")).isFalse();
        assertThat(DownloadToken.isWellFormed("ota_5hc95SFeo5xJEnaNrs")).isFalse();
        assertThat(DownloadToken.isWellFormed("otx_5hc95SFeo5xJEnaNrste")).isFalse();
        assertThat(DownloadToken.isWellFormed("ota_5hc95SFeo5xJEnaNrst!")).isFalse();
        assertThat(DownloadToken.isWellFormed("ota_5hc95SFeo5xJEnaNrste/../x")).isFalse();
        assertThat(DownloadToken.isWellFormed("ota_" + "a".repeat(65))).isFalse();
        // The seed's own example token (20 characters) is well formed.
        assertThat(DownloadToken.isWellFormed("ota_5hc95SFeo5xJEnaNrste")).isTrue();
    }
}
