package io.switchboard.tests.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.core.importer.Locations;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/** The compiled main classes of every module of the product, as ArchUnit sees them. */
final class SwitchboardClasses {
    /** The benchmark harness is on the tests' class path (they share its process tools) but is no part of the product. */
    private static final ImportOption NOT_THE_BENCHMARKS = location -> !location.contains("/io/switchboard/bench/");

    private static JavaClasses real;

    private SwitchboardClasses() {}

    /** The real code: every module's main classes (no test classes, no fixtures). */
    static synchronized JavaClasses real() {
        if (real == null) {
            real = new ClassFileImporter()
                    .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                    .withImportOption(NOT_THE_BENCHMARKS)
                    .importPackages("io.switchboard");
        }
        return real;
    }

    /** The real code plus the classes compiled into {@code extra}. */
    static JavaClasses realWith(Path extra) {
        Set<Location> locations = new HashSet<>(Locations.ofPackage("io.switchboard"));
        locations.add(Location.of(extra));
        return new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(NOT_THE_BENCHMARKS)
                .importLocations(locations);
    }
}
