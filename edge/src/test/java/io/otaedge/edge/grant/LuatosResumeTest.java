package io.otaedge.edge.grant;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

/** Which LuatOS requests the edge tells control are resumes (the first byte past 0), and which are fresh. */
class LuatosResumeTest {

    static HttpRequest request(HttpMethod method, String range) {
        HttpRequest r = new DefaultHttpRequest(HttpVersion.HTTP_1_1, method, "/api/site/firmware_upgrade?imei=1");
        if (range != null) {
            r.headers().set("Range", range);
        }
        return r;
    }

    static long resumeFrom(String range) {
        return LuatosGrants.resumeFrom(request(HttpMethod.GET, range));
    }

    @Test
    void aRangeFromAByteBeyondZeroIsAResumeFromThatByte() {
        assertThat(resumeFrom("bytes=120000-")).isEqualTo(120000);
        assertThat(resumeFrom("bytes=120000-199999")).isEqualTo(120000);
        assertThat(resumeFrom("Bytes = 7 -")).isEqualTo(7);
        assertThat(resumeFrom("bytes=500-599, 100-199")).isEqualTo(100);
        // The bare form the file responder accepts too.
        assertThat(resumeFrom("4096-")).isEqualTo(4096);
        // A suffix asks for the tail of the file the device already has part of.
        assertThat(resumeFrom("bytes=-100")).isPositive();
    }

    @Test
    void everythingElseIsAFreshRequest() {
        assertThat(resumeFrom(null)).isZero();
        assertThat(resumeFrom("bytes=0-")).isZero();
        assertThat(resumeFrom("bytes=0-99")).isZero();
        assertThat(resumeFrom("bytes=0-99,200-")).isZero();
        // Headers the responder ignores (it serves the whole file).
        assertThat(resumeFrom("items=5-")).isZero();
        assertThat(resumeFrom("bytes=x-")).isZero();
        assertThat(resumeFrom("bytes=9-3")).isZero();
        // HEAD ignores Range.
        assertThat(LuatosGrants.resumeFrom(request(HttpMethod.HEAD, "bytes=5-"))).isZero();
    }
}
