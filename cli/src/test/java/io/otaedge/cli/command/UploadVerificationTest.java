package io.otaedge.cli.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.otaedge.cli.CliFailure;
import io.otaedge.cli.ExitCodes;
import io.otaedge.cli.http.Digests;
import org.junit.jupiter.api.Test;

/** What otactl concludes from the digests the server returned for an upload, against those of the bytes it sent. */
class UploadVerificationTest {

    static final Digests.Hex SENT = new Digests.Hex("aa", "bb", "cc");

    ObjectNode answer(String md5, String sha1, String sha256) {
        ObjectNode a = new ObjectMapper().createObjectNode().put("id", "fw_1");
        if (md5 != null) {
            a.put("md5", md5);
        }
        if (sha1 != null) {
            a.put("sha1", sha1);
        }
        if (sha256 != null) {
            a.put("sha256", sha256);
        }
        return a;
    }

    @Test
    void matchingDigestsAreListedAndSha1IsCheckedOnlyWhenReturned() {
        assertThat(FirmwareCommand.verify(answer("AA", "bb", "cc"), SENT)).containsExactly("md5", "sha256", "sha1");
        assertThat(FirmwareCommand.verify(answer("aa", null, "cc"), SENT)).containsExactly("md5", "sha256");
    }

    @Test
    void aMismatchFailsWithExitThreeNamingBothValues() {
        assertThatThrownBy(() -> FirmwareCommand.verify(answer("aa", "bb", "dd"), SENT))
                .isInstanceOfSatisfying(CliFailure.class, f -> assertThat(f.exitCode()).isEqualTo(ExitCodes.FAILED))
                .hasMessage("upload corrupted: the server's sha256 is dd, the bytes sent have cc (package fw_1)");
        assertThatThrownBy(() -> FirmwareCommand.verify(answer("aa", "xx", "cc"), SENT))
                .isInstanceOf(CliFailure.class).hasMessageContaining("sha1 is xx");
    }

    @Test
    void anAnswerWithoutMd5OrSha256CannotVouchForTheUpload() {
        assertThatThrownBy(() -> FirmwareCommand.verify(answer(null, "bb", "cc"), SENT))
                .isInstanceOfSatisfying(CliFailure.class, f -> assertThat(f.exitCode()).isEqualTo(ExitCodes.FAILED));
    }
}
