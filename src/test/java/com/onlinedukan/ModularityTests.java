package com.onlinedukan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;
import org.springframework.modulith.docs.Documenter.Options;

/** The modules are what the package tree says they are, and only their APIs are used. */
class ModularityTests {

    static final ApplicationModules modules = ApplicationModules.of(OnlineDukanApplication.class);

    @Test
    void modulesDependOnlyOnEachOthersPublicApi() {
        modules.forEach(System.out::println);
        modules.verify();
    }

    /**
     * The module canvases and the PlantUML diagram, committed under {@code docs/modules/}. The
     * Documenter writes a diagram's relations in no fixed order; they are sorted, so a run of the
     * tests leaves the committed files as they are unless the modules changed.
     */
    @Test
    void documentsTheModules() throws IOException {
        new Documenter(modules, Options.defaults().withOutputFolder("docs/modules"))
                .writeModulesAsPlantUml()
                .writeIndividualModulesAsPlantUml()
                .writeModuleCanvases();
        try (Stream<Path> diagrams = Files.list(Path.of("docs/modules"))) {
            for (Path diagram : diagrams.filter(path -> path.toString().endsWith(".puml")).toList()) {
                sortRelations(diagram);
            }
        }
    }

    private static void sortRelations(Path diagram) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(diagram));
        List<Integer> at = IntStream.range(0, lines.size()).filter(i -> lines.get(i).startsWith("Rel(")).boxed().toList();
        List<String> sorted = at.stream().map(lines::get).sorted().toList();
        for (int i = 0; i < at.size(); i++) {
            lines.set(at.get(i), sorted.get(i));
        }
        Files.write(diagram, lines);
    }
}
