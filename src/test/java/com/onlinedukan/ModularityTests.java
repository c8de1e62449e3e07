package com.onlinedukan;

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

    /** The module canvases and the PlantUML diagram, committed under {@code docs/modules/}. */
    @Test
    void documentsTheModules() {
        new Documenter(modules, Options.defaults().withOutputFolder("docs/modules"))
                .writeModulesAsPlantUml()
                .writeIndividualModulesAsPlantUml()
                .writeModuleCanvases();
    }
}
