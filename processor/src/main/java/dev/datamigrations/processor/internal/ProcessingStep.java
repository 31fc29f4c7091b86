package dev.datamigrations.processor.internal;

import com.palantir.javapoet.JavaFile;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;
import javax.tools.Diagnostic;

/**
 * Processes {@code @DataMigration} for one compilation: reads every migration (this round's and the
 * previous compilation's, see {@link MigrationIndex}), runs every validator, prints every finding,
 * and writes the registry, its service entry and the index only if no error was found. Works in the
 * first round that sees migrations, so the registry compiles with them.
 */
public final class ProcessingStep {
  private final ProcessingEnvironment env;
  private final Elements elements;
  private final Reporter reporter;
  private final MigrationReader reader;
  private final ClassShapeValidator classShape;
  private final VersionValueValidator versionValue = new VersionValueValidator();
  private final DuplicateVersionValidator duplicates = new DuplicateVersionValidator();
  private final VersionStyleValidator versionStyle = new VersionStyleValidator();
  private final InjectionValidator injection = new InjectionValidator();
  private final BackfillShapeValidator backfillShape = new BackfillShapeValidator();
  private final RegistryPackageResolver packages;
  private final MigrationIndex index;
  private boolean done;

  public ProcessingStep(ProcessingEnvironment env, Reporter reporter) {
    this.env = env;
    this.elements = env.getElementUtils();
    this.reporter = reporter;
    this.reader = new MigrationReader(elements, env.getTypeUtils(), SourceChecksums.of(env));
    this.classShape = new ClassShapeValidator(elements, env.getTypeUtils());
    this.packages = new RegistryPackageResolver(elements);
    this.index = new MigrationIndex(env.getFiler());
  }

  /** Processes one round. */
  public void process(RoundEnvironment round) {
    TypeElement annotation = elements.getTypeElement(Names.DATA_MIGRATION);
    if (annotation == null) {
      return;
    }
    List<TypeElement> annotated = new ArrayList<>();
    for (Element element : round.getElementsAnnotatedWith(annotation)) {
      if (element instanceof TypeElement type) { // @Target(TYPE): always a type
        annotated.add(type);
      }
    }
    if (annotated.isEmpty()) {
      return;
    }
    if (done) {
      for (TypeElement type : annotated) {
        reporter.report(
            Finding.error(type, Messages.LATE_MIGRATION.format(type.getQualifiedName())));
      }
      return;
    }
    done = true;
    List<MigrationClass> migrations = readAll(annotated);

    List<Finding> findings = new ArrayList<>();
    for (MigrationClass migration : migrations) {
      findings.addAll(classShape.validate(migration));
      findings.addAll(versionValue.validate(migration));
      findings.addAll(backfillShape.validate(migration));
    }
    findings.addAll(duplicates.validate(migrations));
    findings.addAll(versionStyle.validate(migrations));
    findings.addAll(injection.validate(migrations));
    RegistryPackageResolver.Resolution resolution =
        packages.resolve(migrations, env.getOptions().get(Names.PACKAGE_OPTION));
    findings.addAll(resolution.findings());
    reporter.report(findings);
    if (findings.stream().anyMatch(Finding::isError)) {
      return;
    }
    try {
      write(resolution.packageName().orElseThrow(), migrations);
    } catch (IOException e) {
      // The filer refused (a file another processor or a source already created, a full disk): not
      // a bug of
      // ours, and not the user's migrations' fault, so say what could not be written and why.
      reporter.report(
          Finding.error(
              migrations.get(0).type(),
              Messages.WRITE_FAILED.format(
                  resolution.packageName().get() + "." + Names.REGISTRY, e)));
    }
  }

  private List<MigrationClass> readAll(List<TypeElement> annotated) {
    Map<String, MigrationClass> byName = new LinkedHashMap<>();
    for (TypeElement type : annotated) {
      MigrationReader.dataMigrationAnnotation(type)
          .ifPresent(
              mirror -> byName.put(type.getQualifiedName().toString(), reader.read(type, mirror)));
    }
    // Migrations compiled earlier and not recompiled now: still there, still annotated, so still
    // listed.
    // Their source was not recompiled, so it is unchanged: the checksum the index recorded holds.
    for (MigrationIndex.Entry previous : index.readPrevious()) {
      String name = previous.className();
      if (byName.containsKey(name)) {
        continue;
      }
      TypeElement type = elements.getTypeElement(name);
      if (type != null) {
        Optional<AnnotationMirror> mirror = MigrationReader.dataMigrationAnnotation(type);
        mirror.ifPresent(
            m -> {
              MigrationClass read = reader.read(type, m);
              byName.put(
                  name,
                  read.checksum().isPresent() ? read : read.withChecksum(previous.checksum()));
            });
      }
    }
    return List.copyOf(byName.values());
  }

  private void write(String packageName, List<MigrationClass> unsorted) throws IOException {
    List<MigrationClass> migrations =
        unsorted.stream()
            .sorted(Comparator.comparingLong((MigrationClass m) -> m.version().getAsLong()))
            .toList();
    Element[] originating = migrations.stream().map(MigrationClass::type).toArray(Element[]::new);
    Optional<InjectFlavor> flavor = InjectionValidator.flavor(migrations);
    JavaFile source =
        new RegistryGenerator(elements, env.getTypeUtils())
            .generate(packageName, migrations, flavor);
    source.writeTo(env.getFiler());
    String registryName = packageName + "." + Names.REGISTRY;
    if (flavor.isEmpty()) {
      ServiceFile.write(env.getFiler(), ServiceFile.PATH, registryName, originating);
    } else {
      ServiceFile.write(
          env.getFiler(),
          ServiceFile.FACTORY_PATH,
          registryName + "$" + RegistryGenerator.FACTORY,
          originating);
      List<MigrationClass> injected = migrations.stream().filter(MigrationClass::injected).toList();
      reporter.report(
          new Finding(
              Diagnostic.Kind.NOTE,
              Messages.INJECTED_REGISTRY.format(
                  registryName,
                  injected.stream()
                      .map(MigrationClass::qualifiedName)
                      .collect(Collectors.joining(", "))),
              injected.get(0).type(),
              Optional.empty(),
              Optional.empty()));
    }
    index.write(
        migrations.stream()
            .map(m -> new MigrationIndex.Entry(m.qualifiedName(), m.checksum()))
            .sorted(Comparator.comparing(MigrationIndex.Entry::className))
            .toList(),
        originating);
  }
}
