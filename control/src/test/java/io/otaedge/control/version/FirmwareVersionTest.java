package io.otaedge.control.version;

import static io.otaedge.control.version.FirmwareVersion.Relation.NEWER;
import static io.otaedge.control.version.FirmwareVersion.Relation.OLDER;
import static io.otaedge.control.version.FirmwareVersion.Relation.SAME;
import static io.otaedge.control.version.FirmwareVersion.Relation.UNORDERED;
import static org.assertj.core.api.Assertions.assertThat;

import io.otaedge.control.version.FirmwareVersion.Relation;
import java.util.List;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FirmwareVersionTest {

    @ParameterizedTest(name = "{0} against {1} is {2}")
    @CsvSource({
            // libfota2 keeps the script's zeros: one version, three spellings
            "1003.002.000, 1003.2.0, SAME",
            "1003.02.0, 1003.002.000, SAME",
            "1003.2.0, 1003.2.0, SAME",
            "1.2, 1.2.0, SAME",
            "V1.0.2, 1.0.2, SAME",
            "v2, 2.0, SAME",
            "1003.002.000, 1003.003.000, OLDER",
            "1003.010.000, 1003.9.0, NEWER",
            "1.9, 1.10, OLDER",
            "1.2.0.1, 1.2, NEWER",
            "2, 10, OLDER",
            "99999999999999999999.1, 99999999999999999999.0, NEWER",
            // Aliyun's Link SDK default shape: same skeleton, numbers ordered
            "app-1.0.3-20180101.1000, app-1.0.3-20180201.1000, OLDER",
            "APP-1.0.4-20180101.1000, app-1.0.3-20180201.1000, NEWER",
            "1.2.3-rc1, 1.2.3-rc2, OLDER",
            // different shapes cannot be ordered
            "1.2.3-rc1, 1.2.3, UNORDERED",
            "build-a, build-b, UNORDERED",
            "1.2.3, 1.2.3a, UNORDERED",
            "1..2, 1.2, UNORDERED",
            "v, 1, UNORDERED",
            "same-string, same-string, SAME",
    })
    void ordersVersionsAsNumbersComponentByComponent(String device, String other, Relation expected) {
        assertThat(FirmwareVersion.relation(device, other)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"1003.002.000, 1003.2.0", "V1.02, 1.2", "1.2.0, 1.2.0", "app-01.2, app-01.2", "0.00.0, 0.0.0"})
    void canonicalDropsLeadingZerosAndThePrefixOfDottedVersions(String given, String canonical) {
        assertThat(FirmwareVersion.canonical(given)).isEqualTo(canonical);
    }

    @Property
    void anySpellingWithLeadingZerosIsTheSameVersion(@ForAll("dotted") List<Long> parts, @ForAll("zeros") String pad) {
        String plain = parts.stream().map(String::valueOf).collect(Collectors.joining("."));
        String padded = parts.stream().map(p -> pad + p).collect(Collectors.joining("."));
        assertThat(FirmwareVersion.relation(padded, plain)).isEqualTo(SAME);
        assertThat(FirmwareVersion.relation("v" + plain, padded)).isEqualTo(SAME);
        assertThat(FirmwareVersion.canonical(padded)).isEqualTo(plain);
    }

    @Property
    void orderingIsAntisymmetricAndAgreesWithNumbers(@ForAll("dotted") List<Long> a, @ForAll("dotted") List<Long> b) {
        String x = a.stream().map(String::valueOf).collect(Collectors.joining("."));
        String y = b.stream().map(String::valueOf).collect(Collectors.joining("."));
        Relation xy = FirmwareVersion.relation(x, y);
        Relation yx = FirmwareVersion.relation(y, x);
        assertThat(xy).isNotEqualTo(UNORDERED);
        assertThat(yx).isEqualTo(xy == SAME ? SAME : xy == OLDER ? NEWER : OLDER);
        assertThat(xy).isEqualTo(expected(a, b));
    }

    @Property
    void anyDeviceStringIsJudgedWithoutFailing(@ForAll @StringLength(max = 40) String device, @ForAll("dotted") List<Long> t) {
        String target = t.stream().map(String::valueOf).collect(Collectors.joining("."));
        Relation r = FirmwareVersion.relation(device, target);
        assertThat(r).isNotNull();
        assertThat(FirmwareVersion.relation(device, device)).isEqualTo(SAME);
        FirmwareVersion.canonical(device);
    }

    private static Relation expected(List<Long> a, List<Long> b) {
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            long x = i < a.size() ? a.get(i) : 0;
            long y = i < b.size() ? b.get(i) : 0;
            if (x != y) {
                return x < y ? OLDER : NEWER;
            }
        }
        return SAME;
    }

    @Provide
    Arbitrary<List<Long>> dotted() {
        return Arbitraries.longs().between(0, 1_000_000_000_000L).list().ofMinSize(1).ofMaxSize(5);
    }

    @Provide
    Arbitrary<String> zeros() {
        return Arbitraries.strings().withChars('0').ofMaxLength(3);
    }
}
