package dev.datamigrations.processor.internal;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.NameAllocator;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Writes the {@code MigrationRegistry} source: a literal, version-sorted list of descriptors made
 * through {@code MigrationDescriptor.migration(...)} and {@code .backfill(...)} with named
 * arguments, and a switch that creates each migration with {@code new} or its Dagger provider. No
 * reflection, no lambda per migration (each would cost a hidden class at start-up).
 *
 * <p>Plain and injected registries have one shape: the same fields, methods and bodies, except that
 * a registry with {@code @Inject} migrations keeps their providers and so is an instance made by
 * Dagger, while a plain one offers {@code configure}, {@code runner} and {@code run} as static
 * methods (the public contract; a call through an instance compiles too). Every switch ends in the
 * same {@code throw noMigrationAt(index)}: the exception is built in one place.
 *
 * <p>Up to {@link #PART_SIZE} migrations everything sits in the registry itself. Beyond, the
 * descriptors and the switch move into static nested classes {@code Part0}, {@code Part1}... of
 * {@code PART_SIZE} migrations each, the registry dispatching by {@code index / PART_SIZE}: each
 * part has its own constant pool (65,535 entries per class) and methods well under the JVM's 64 KiB
 * of bytecode.
 *
 * <p>An injected registry also gets, for containers other than Dagger, a static {@code
 * withDependencies(MigrationDependencies)} that passes its constructor one lambda per injected
 * migration, {@code () -> new X((A) dependencies.get(DEPENDENCIES.get(0)), ...)}, the literal list
 * {@code DEPENDENCIES} of every constructor parameter (names and types read from the source), and a
 * nested {@code Factory}, registered for {@link java.util.ServiceLoader} as a {@code
 * MigrationCatalogFactory}. A lambda costs a hidden class when first run; there are at most {@link
 * InjectionValidator#MAX_INJECTED}, each made only when its migration runs.
 */
public final class RegistryGenerator {
  /**
   * How many migrations one class lists; about 25 KiB of bytecode and 10,000 constant-pool entries.
   */
  public static final int PART_SIZE = 1000;

  /** The simple name of an injected registry's nested {@code MigrationCatalogFactory}. */
  public static final String FACTORY = "Factory";

  private static final String RUNTIME = Names.RUNTIME_PACKAGE;
  private static final ClassName MIGRATION = ClassName.bestGuess(Names.MIGRATION);
  private static final ClassName CATALOG = ClassName.bestGuess(Names.MIGRATION_CATALOG);
  private static final ClassName CATALOG_FACTORY =
      ClassName.bestGuess(Names.MIGRATION_CATALOG_FACTORY);
  private static final ClassName DEPENDENCY = ClassName.bestGuess(Names.MIGRATION_DEPENDENCY);
  private static final ClassName DEPENDENCIES = ClassName.bestGuess(Names.MIGRATION_DEPENDENCIES);
  private static final ClassName DESCRIPTOR = ClassName.get(RUNTIME, "MigrationDescriptor");
  private static final ClassName TRANSACTION = DESCRIPTOR.nestedClass("Transaction");
  private static final ClassName REVERSIBILITY = DESCRIPTOR.nestedClass("Reversibility");
  private static final ClassName RUNNER = ClassName.get(RUNTIME, "MigrationRunner");
  private static final ClassName RESULT = ClassName.get(RUNTIME, "MigrateResult");
  private static final ClassName JDBI = ClassName.bestGuess(Names.JDBI);
  private static final ClassName DATA_SOURCE = ClassName.get("javax.sql", "DataSource");
  private static final ClassName GENERATED =
      ClassName.get("javax.annotation.processing", "Generated");
  private static final ClassName LIST = ClassName.get(List.class);
  private static final TypeName DESCRIPTOR_LIST = ParameterizedTypeName.get(LIST, DESCRIPTOR);
  private static final TypeName DEPENDENCY_LIST = ParameterizedTypeName.get(LIST, DEPENDENCY);
  private static final String PROCESSOR = "dev.datamigrations.processor.DataMigrationProcessor";

  private final Elements elements;
  private final Types types;

  public RegistryGenerator(Elements elements, Types types) {
    this.elements = elements;
    this.types = types;
  }

  /**
   * Returns the registry's source for {@code migrations}, which must be valid and sorted by
   * version.
   *
   * @param injectFlavor the inject API of the registry's constructor; empty when no migration is
   *     injected
   */
  public JavaFile generate(
      String packageName, List<MigrationClass> migrations, Optional<InjectFlavor> injectFlavor) {
    ClassName registry = ClassName.get(packageName, Names.REGISTRY);
    Map<MigrationClass, String> providerFields = providerFields(migrations);
    boolean injected = !providerFields.isEmpty();
    TypeSpec.Builder type =
        TypeSpec.classBuilder(registry)
            .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
            .addSuperinterface(CATALOG)
            .addJavadoc(classJavadoc(injected));
    if (elements.getTypeElement(GENERATED.canonicalName()) != null) {
      type.addAnnotation(
          AnnotationSpec.builder(GENERATED)
              .addMember("value", "$S", PROCESSOR)
              .addMember(
                  "comments",
                  "$S",
                  "The @DataMigration classes of this compilation, in ascending version order")
              .build());
    }
    migrations.forEach(m -> type.addOriginatingElement(m.type()));

    List<List<MigrationClass>> parts = partition(migrations);
    boolean split = parts.size() > 1;
    if (split) {
      type.addField(
          FieldSpec.builder(
                  int.class, "PART_SIZE", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
              .initializer("$L", PART_SIZE)
              .build());
    }
    type.addField(
        FieldSpec.builder(
                DESCRIPTOR_LIST, "DESCRIPTORS", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
            .initializer(split ? CodeBlock.of("createDescriptors()") : descriptorList(migrations))
            .build());
    List<Parameter> parameters = injected ? parameters(migrations, providerFields) : List.of();
    if (injected) {
      type.addField(
          FieldSpec.builder(
                  DEPENDENCY_LIST,
                  "DEPENDENCIES",
                  Modifier.PRIVATE,
                  Modifier.STATIC,
                  Modifier.FINAL)
              .initializer(dependencyList(parameters))
              .build());
    }
    providerFields.forEach(
        (migration, field) ->
            type.addField(
                provider(injectFlavor.get(), migration), field, Modifier.PRIVATE, Modifier.FINAL));

    type.addMethod(constructor(injectFlavor, providerFields));
    if (injected) {
      type.addMethod(withDependencies(registry, providerFields, parameters));
    }
    type.addMethod(
        MethodSpec.methodBuilder("descriptors")
            .addJavadoc("Returns every migration's descriptor, in ascending version order.\n")
            .addAnnotation(Override.class)
            .addModifiers(Modifier.PUBLIC)
            .returns(DESCRIPTOR_LIST)
            .addStatement("return DESCRIPTORS")
            .build());
    type.addMethod(
        instantiateSignature()
            .addCode(
                split ? dispatch(parts, injected) : creations(migrations, 0, providerFields, ""))
            .build());
    addEntryPoints(type, registry, injected);
    if (split) {
      type.addMethod(createDescriptors(parts));
    }
    type.addMethod(noMigrationAt());
    if (injected) {
      type.addType(factory(registry));
    }
    if (split) {
      for (int i = 0; i < parts.size(); i++) {
        type.addType(part(registry, i, parts.get(i), providerFields));
      }
    }
    JavaFile.Builder file =
        JavaFile.builder(packageName, type.build()).skipJavaLangImports(true).indent("  ");
    addStaticImports(file, migrations);
    return file.build();
  }

  private static CodeBlock classJavadoc(boolean injected) {
    CodeBlock.Builder doc =
        CodeBlock.builder()
            .add(
                "Lists every data migration of this application in ascending version order, as checked at"
                    + " compile time,\nand creates them without reflection. Generated: do not edit.\n\n");
    if (injected) {
      doc.add(
          "<p>Some migrations have {@code @Inject} constructors, so a dependency-injection container creates"
              + " this registry.\nWith Dagger, expose it from your component and run it from there:\n\n"
              + "<pre>{@code\n"
              + "// In the application's Dagger component interface:\n"
              + "MigrationRegistry migrations();\n\n"
              + "// Then, at start-up or from a command:\n"
              + "component.migrations().run(jdbi);\n"
              + "}</pre>\n\n"
              + "<p>With Spring Boot ({@code datamigrations-spring-boot-starter}) nothing more is needed: it finds"
              + " {@link Factory}\nthrough {@link java.util.ServiceLoader}, checks at start-up that every"
              + " constructor parameter is a bean,\nand creates each migration with {@code new} when"
              + " it runs. Elsewhere:\n{@code MigrationRegistry.withDependencies(dependencies).run(jdbi)}.\n");
    } else {
      doc.add(
          "<pre>{@code\n"
              + "MigrateResult result = MigrationRegistry.run(jdbi);\n"
              + "}</pre>\n\n"
              + "<p>Also registered for {@link java.util.ServiceLoader} as a {@link MigrationCatalog}.\n");
    }
    return doc.build();
  }

  private Map<MigrationClass, String> providerFields(List<MigrationClass> migrations) {
    NameAllocator names = new NameAllocator();
    names.newName("DESCRIPTORS");
    names.newName("PART_SIZE");
    Map<MigrationClass, String> fields = new LinkedHashMap<>();
    for (MigrationClass migration : migrations) {
      if (migration.injected()) {
        String simpleName = migration.type().getSimpleName().toString();
        fields.put(migration, names.newName(decapitalize(simpleName) + "Provider"));
      }
    }
    return fields;
  }

  private static String decapitalize(String name) {
    return Character.toLowerCase(name.charAt(0)) + name.substring(1);
  }

  private static TypeName provider(InjectFlavor flavor, MigrationClass migration) {
    return ParameterizedTypeName.get(
        ClassName.get(flavor.packageName(), "Provider"), ClassName.get(migration.type()));
  }

  private CodeBlock descriptorList(List<MigrationClass> migrations) {
    CodeBlock.Builder list = CodeBlock.builder().add("$T.of(\n$>$>", LIST);
    for (int i = 0; i < migrations.size(); i++) {
      list.add(descriptor(migrations.get(i))).add(i + 1 < migrations.size() ? ",\n" : "");
    }
    return list.add(")$<$<").build();
  }

  /**
   * Returns {@code MigrationDescriptor.migration(1L, "Description", "com.acme.Class",
   * TRANSACTIONAL, REVERSIBLE)} or, for a backfill, which is never transactional as a whole, {@code
   * MigrationDescriptor.backfill(...)} without the transaction, followed on the next line by {@code
   * .withChecksum("...")} when the source's checksum is known. The enum constants are statically
   * imported (see {@link #addStaticImports}).
   */
  private CodeBlock descriptor(MigrationClass migration) {
    CodeBlock.Builder call =
        CodeBlock.builder()
            .add(
                "$T.$L($LL, $S, $S, ",
                DESCRIPTOR,
                migration.backfill() ? "backfill" : "migration",
                migration.version().getAsLong(),
                migration.description(),
                elements.getBinaryName(migration.type()).toString());
    if (!migration.backfill()) {
      call.add("$T." + transaction(migration) + ", ", TRANSACTION);
    }
    call.add("$T." + reversibility(migration) + ")", REVERSIBILITY);
    migration.checksum().ifPresent(sha256 -> call.add("\n    .withChecksum($S)", sha256));
    return call.build();
  }

  private static String transaction(MigrationClass migration) {
    return migration.transactional() ? "TRANSACTIONAL" : "NON_TRANSACTIONAL";
  }

  private static String reversibility(MigrationClass migration) {
    return migration.reversible() ? "REVERSIBLE" : "IRREVERSIBLE";
  }

  /**
   * Imports the enum constants the descriptors use, and only those, so that each literal reads as a
   * sentence.
   */
  private static void addStaticImports(JavaFile.Builder file, List<MigrationClass> migrations) {
    Set<String> transactions = new TreeSet<>();
    Set<String> reversibilities = new TreeSet<>();
    for (MigrationClass migration : migrations) {
      if (!migration.backfill()) {
        transactions.add(transaction(migration));
      }
      reversibilities.add(reversibility(migration));
    }
    if (!transactions.isEmpty()) {
      file.addStaticImport(TRANSACTION, transactions.toArray(String[]::new));
    }
    file.addStaticImport(REVERSIBILITY, reversibilities.toArray(String[]::new));
  }

  private static MethodSpec constructor(
      Optional<InjectFlavor> injectFlavor, Map<MigrationClass, String> providerFields) {
    if (providerFields.isEmpty()) {
      return MethodSpec.constructorBuilder()
          .addJavadoc("Creates the registry; public for {@link java.util.ServiceLoader}.\n")
          .addModifiers(Modifier.PUBLIC)
          .build();
    }
    MethodSpec.Builder constructor =
        MethodSpec.constructorBuilder()
            .addJavadoc(
                "Creates the registry with the providers of the migrations that have {@code @Inject}"
                    + " constructors;\ncalled by Dagger, and by {@link #withDependencies}.\n")
            .addAnnotation(ClassName.get(injectFlavor.get().packageName(), "Inject"))
            .addModifiers(Modifier.PUBLIC);
    providerFields.forEach(
        (migration, field) -> {
          constructor.addParameter(provider(injectFlavor.get(), migration), field);
          constructor.addStatement("this.$N = $N", field, field);
        });
    return constructor.build();
  }

  private static MethodSpec.Builder instantiateSignature() {
    return MethodSpec.methodBuilder("instantiate")
        .addJavadoc(
            "Creates the migration described by {@code descriptors().get(index)}.\n\n"
                + "@throws IndexOutOfBoundsException if there is no such migration\n")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .returns(MIGRATION)
        .addParameter(int.class, "index");
  }

  /**
   * Returns {@code return switch (index) { case 0 -> new A(); ... default -> throw
   * noMigrationAt(index); };} for the migrations from index {@code first}; {@code receiver}
   * prefixes provider fields ({@code "registry."} in a part).
   */
  private static CodeBlock creations(
      List<MigrationClass> migrations,
      int first,
      Map<MigrationClass, String> providerFields,
      String receiver) {
    CodeBlock.Builder arms = CodeBlock.builder();
    for (int i = 0; i < migrations.size(); i++) {
      arms.add(
          "case $L -> $L;\n", first + i, creation(migrations.get(i), providerFields, receiver));
    }
    return switchOn("index", arms.build());
  }

  private static CodeBlock creation(
      MigrationClass migration, Map<MigrationClass, String> providerFields, String receiver) {
    String field = providerFields.get(migration);
    return field == null
        ? CodeBlock.of("new $T()", ClassName.get(migration.type()))
        : CodeBlock.of("$L$N.get()", receiver, field);
  }

  private static CodeBlock dispatch(List<List<MigrationClass>> parts, boolean injected) {
    CodeBlock.Builder arms = CodeBlock.builder();
    for (int i = 0; i < parts.size(); i++) {
      arms.add("case $L -> Part$L.instantiate($Lindex);\n", i, i, injected ? "this, " : "");
    }
    return switchOn("index / PART_SIZE", arms.build());
  }

  /**
   * Returns the one switch shape of every {@code instantiate}: the arms, then the one way to fail.
   */
  private static CodeBlock switchOn(String selector, CodeBlock arms) {
    return CodeBlock.builder()
        .add("return switch ($L) {\n$>", selector)
        .add(arms)
        .add("default -> throw noMigrationAt(index);\n")
        .add("$<};\n")
        .build();
  }

  private static MethodSpec createDescriptors(List<List<MigrationClass>> parts) {
    int total = parts.stream().mapToInt(List::size).sum();
    MethodSpec.Builder method =
        MethodSpec.methodBuilder("createDescriptors")
            .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
            .returns(DESCRIPTOR_LIST)
            .addStatement("$T descriptors = new $T<>($L)", DESCRIPTOR_LIST, ArrayList.class, total);
    for (int i = 0; i < parts.size(); i++) {
      method.addStatement("Part$L.addTo(descriptors)", i);
    }
    return method
        .addStatement("return $T.unmodifiableList(descriptors)", Collections.class)
        .build();
  }

  private static MethodSpec noMigrationAt() {
    return MethodSpec.methodBuilder("noMigrationAt")
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .returns(IndexOutOfBoundsException.class)
        .addParameter(int.class, "index")
        .addStatement(
            "return new $T($S + index + $S + DESCRIPTORS.size())",
            IndexOutOfBoundsException.class,
            "No migration at index ",
            "; there are ")
        .build();
  }

  private TypeSpec part(
      ClassName registry,
      int number,
      List<MigrationClass> migrations,
      Map<MigrationClass, String> providerFields) {
    int first = number * PART_SIZE;
    MethodSpec.Builder addTo =
        MethodSpec.methodBuilder("addTo")
            .addModifiers(Modifier.STATIC)
            .addParameter(DESCRIPTOR_LIST, "descriptors");
    migrations.forEach(
        migration -> addTo.addStatement("descriptors.add($L)", descriptor(migration)));
    MethodSpec.Builder instantiate =
        MethodSpec.methodBuilder("instantiate").addModifiers(Modifier.STATIC).returns(MIGRATION);
    if (!providerFields.isEmpty()) {
      instantiate.addParameter(registry, "registry");
    }
    instantiate
        .addParameter(int.class, "index")
        .addCode(creations(migrations, first, providerFields, "registry."));
    return TypeSpec.classBuilder("Part" + number)
        .addJavadoc(
            "Migrations $L to $L, in a class of their own to stay within the JVM's limits on code and"
                + " constants.\n",
            first,
            first + migrations.size() - 1)
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).build())
        .addMethod(addTo.build())
        .addMethod(instantiate.build())
        .build();
  }

  /**
   * Adds {@code configure}, {@code runner}, {@code run(Jdbi)} and {@code run(DataSource)}: the same
   * methods and bodies in both kinds of registry, static on a plain one (which creates itself),
   * instance methods on an injected one (which Dagger created with its providers).
   */
  private static void addEntryPoints(TypeSpec.Builder type, ClassName registry, boolean injected) {
    Modifier[] modifiers =
        injected
            ? new Modifier[] {Modifier.PUBLIC}
            : new Modifier[] {Modifier.PUBLIC, Modifier.STATIC};
    CodeBlock catalog = injected ? CodeBlock.of("this") : CodeBlock.of("new $T()", registry);
    type.addMethod(
        MethodSpec.methodBuilder("configure")
            .addJavadoc(
                "Returns a builder for a runner of these migrations on {@code jdbi}'s database, to set the"
                    + " history table,\nlock timeout, reason and so on.\n")
            .addModifiers(modifiers)
            .returns(RUNNER.nestedClass("Builder"))
            .addParameter(JDBI, "jdbi")
            .addStatement("return $T.configure(jdbi, $L)", RUNNER, catalog)
            .build());
    type.addMethod(
        MethodSpec.methodBuilder("runner")
            .addJavadoc(
                "Returns a runner of these migrations on {@code jdbi}'s database, with the default settings.\n")
            .addModifiers(modifiers)
            .returns(RUNNER)
            .addParameter(JDBI, "jdbi")
            .addStatement("return configure(jdbi).build()")
            .build());
    type.addMethod(
        MethodSpec.methodBuilder("run")
            .addJavadoc(
                "Applies every pending migration on {@code jdbi}'s database, in ascending version order, each in"
                    + " a transaction\nof its own unless declared {@code transactional = false}.\n")
            .addModifiers(modifiers)
            .returns(RESULT)
            .addParameter(JDBI, "jdbi")
            .addStatement("return runner(jdbi).migrate()")
            .build());
    type.addMethod(
        MethodSpec.methodBuilder("run")
            .addJavadoc(
                "Applies every pending migration on {@code dataSource}'s database; see {@link #run(Jdbi)}. A Jdbi is"
                    + " created\nonly if something is pending.\n")
            .addModifiers(modifiers)
            .returns(RESULT)
            .addParameter(DATA_SOURCE, "dataSource")
            .addStatement("return $T.configure(dataSource, $L).build().migrate()", RUNNER, catalog)
            .build());
  }

  /** One constructor parameter of an injected migration, and its index in {@code DEPENDENCIES}. */
  private record Parameter(
      MigrationClass migration,
      int migrationIndex,
      String name,
      TypeMirror type,
      String qualifier,
      int index) {}

  /**
   * Spring's qualifier, which is not itself marked {@code @Qualifier} as JSR-330's qualifiers are.
   */
  private static final String SPRING_QUALIFIER =
      "org.springframework.beans.factory.annotation.Qualifier";

  private static final Set<String> QUALIFIER_MARKERS =
      Set.of("javax.inject.Qualifier", "jakarta.inject.Qualifier");

  /**
   * Returns {@code parameter}'s qualifier annotation as written (e.g.
   * {@code @jakarta.inject.Named("utc")}), or null: recorded so that a container asking by class
   * can refuse it instead of passing another bean.
   */
  private static String qualifier(VariableElement parameter) {
    for (AnnotationMirror annotation : parameter.getAnnotationMirrors()) {
      TypeElement type = (TypeElement) annotation.getAnnotationType().asElement();
      boolean qualifier =
          type.getQualifiedName().contentEquals(SPRING_QUALIFIER)
              || type.getAnnotationMirrors().stream()
                  .anyMatch(
                      meta ->
                          QUALIFIER_MARKERS.contains(
                              ((TypeElement) meta.getAnnotationType().asElement())
                                  .getQualifiedName()
                                  .toString()));
      if (qualifier) {
        return annotation.toString();
      }
    }
    return null;
  }

  /**
   * Returns the parameters of the injected migrations' {@code @Inject} constructors, in migration
   * order.
   */
  private static List<Parameter> parameters(
      List<MigrationClass> migrations, Map<MigrationClass, String> providerFields) {
    List<Parameter> parameters = new ArrayList<>();
    for (MigrationClass migration : providerFields.keySet()) {
      ExecutableElement constructor = migration.injectConstructors().get(0);
      for (VariableElement parameter : constructor.getParameters()) {
        parameters.add(
            new Parameter(
                migration,
                migrations.indexOf(migration),
                parameter.getSimpleName().toString(),
                parameter.asType(),
                qualifier(parameter),
                parameters.size()));
      }
    }
    return List.copyOf(parameters);
  }

  /**
   * Returns {@code List.of(new MigrationDependency(DESCRIPTORS.get(1), "clock", Clock.class,
   * "java.time.Clock", false), ...)}: the class literal is the erasure, the name the declared type;
   * a qualified parameter's qualifier follows as a sixth argument.
   */
  private CodeBlock dependencyList(List<Parameter> parameters) {
    CodeBlock.Builder list = CodeBlock.builder().add("$T.of(\n$>$>", LIST);
    for (Parameter parameter : parameters) {
      TypeName declared = TypeName.get(parameter.type());
      TypeName erased = TypeName.get(types.erasure(parameter.type()));
      list.add(
          "new $T(DESCRIPTORS.get($L), $S, $T.class, $S, $L",
          DEPENDENCY,
          parameter.migrationIndex(),
          parameter.name(),
          erased,
          declared.toString(),
          !declared.equals(erased));
      list.add(
          parameter.qualifier() == null
              ? CodeBlock.of(")")
              : CodeBlock.of(", $S)", parameter.qualifier()));
      list.add(parameter.index() + 1 < parameters.size() ? ",\n" : "");
    }
    return list.add(")$<$<").build();
  }

  /**
   * Returns {@code withDependencies}, which creates each injected migration with {@code new}, its
   * arguments asked of {@code dependencies} and cast to the declared parameter types (unchecked for
   * generic ones).
   */
  private MethodSpec withDependencies(
      ClassName registry, Map<MigrationClass, String> providerFields, List<Parameter> parameters) {
    CodeBlock.Builder arguments = CodeBlock.builder();
    int i = 0;
    boolean unchecked = false;
    for (MigrationClass migration : providerFields.keySet()) {
      List<CodeBlock> values = new ArrayList<>();
      for (Parameter parameter : parameters) {
        if (parameter.migration() == migration) {
          TypeName declared = TypeName.get(parameter.type());
          unchecked |= !declared.equals(TypeName.get(types.erasure(parameter.type())));
          values.add(
              CodeBlock.of(
                  "($T) dependencies.get(DEPENDENCIES.get($L))", declared, parameter.index()));
        }
      }
      arguments.add(
          "() -> new $T($L)$L",
          ClassName.get(migration.type()),
          CodeBlock.join(values, ", "),
          ++i < providerFields.size() ? ",\n" : "");
    }
    MethodSpec.Builder method =
        MethodSpec.methodBuilder("withDependencies")
            .addJavadoc(
                "Returns the registry, creating each migration that has an {@code @Inject} constructor with"
                    + " {@code new} when it\nruns, its arguments asked of {@code dependencies}: for a container"
                    + " other than Dagger (Spring Boot's finds\n{@link Factory}).\n")
            .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
            .returns(registry)
            .addParameter(DEPENDENCIES, "dependencies")
            .addCode("return new $T(\n$>$>", registry)
            .addCode(arguments.build())
            .addCode(");\n$<$<");
    if (unchecked) {
      method.addAnnotation(
          AnnotationSpec.builder(SuppressWarnings.class)
              .addMember("value", "$S", "unchecked")
              .build());
    }
    return method.build();
  }

  private static TypeSpec factory(ClassName registry) {
    return TypeSpec.classBuilder(FACTORY)
        .addJavadoc(
            "Creates the registry from a {@link MigrationDependencies}; registered for"
                + " {@link java.util.ServiceLoader} as a\n{@link MigrationCatalogFactory}, through which Spring"
                + " Boot's auto-configuration finds it without scanning.\n")
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .addSuperinterface(CATALOG_FACTORY)
        .addMethod(
            MethodSpec.constructorBuilder()
                .addJavadoc("Creates the factory; public for {@link java.util.ServiceLoader}.\n")
                .addModifiers(Modifier.PUBLIC)
                .build())
        .addMethod(
            MethodSpec.methodBuilder("dependencies")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .returns(DEPENDENCY_LIST)
                .addStatement("return DEPENDENCIES")
                .build())
        .addMethod(
            MethodSpec.methodBuilder("create")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .returns(registry)
                .addParameter(DEPENDENCIES, "dependencies")
                .addStatement("return withDependencies(dependencies)")
                .build())
        .build();
  }

  private static List<List<MigrationClass>> partition(List<MigrationClass> migrations) {
    List<List<MigrationClass>> parts = new ArrayList<>();
    for (int i = 0; i < migrations.size(); i += PART_SIZE) {
      parts.add(migrations.subList(i, Math.min(migrations.size(), i + PART_SIZE)));
    }
    return parts;
  }
}
