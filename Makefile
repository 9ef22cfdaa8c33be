# lminspect: everything is built under build/, so `make clean` is one rm.
#   make            helper library, jar (+ start-up archive), test programs, launcher
#   make test       every test (JUnit, real processes) and a short fuzzing run
#   make fuzz       longer fuzzing (FUZZ_ROUNDS, FUZZ_TARGETS)
#   make demo       the overwritten-library incident, live: predict the crash, then watch it happen
#   make bench      scripts/bench (speed against pldd and gdb)
#   make install PREFIX=/usr/local
#   make man, make completion, make deb   (see the end of this file)
SHELL      := /bin/bash
BUILD      := build
CC         ?= gcc
CFLAGS     ?= -O2 -g -Wall -Wextra
MVN        ?= mvn -B -q -Dbuild.root=$(abspath $(BUILD))
PREFIX     ?= /usr/local
NATIVE_DIR := $(BUILD)/native-res/linux-x86-64
HELPER     := $(NATIVE_DIR)/liblmhelper.so
JAR        := $(BUILD)/lminspect.jar
JNA_DISPATCH := $(BUILD)/jna/libjnidispatch.so
# The JDK the launcher runs on (scripts/jdk.sh: JAVA_HOME, else the newest JDK >= 17) and the
# name of its start-up archive: lminspect-<version>.aot (AOT cache) on JDK >= 25, .jsa (CDS) on 17-24.
# Maven runs on its own JDK (JAVA_HOME, else java on PATH): the jar is Java 17 class files either way.
LM_ARCHIVE := $(shell . scripts/jdk.sh && lm_pick_jdk && echo "$$LM_ARCHIVE")
STARTUP    := $(if $(LM_ARCHIVE),$(BUILD)/$(LM_ARCHIVE))
TP         := $(BUILD)/testprogs
JAVA_SRC   := $(shell find java/main -name '*.java') pom.xml

TESTPROGS  := $(TP)/tp_victim $(TP)/tp_prestart $(TP)/tp_dstate $(TP)/tp_hostile $(TP)/tp_uffd $(TP)/tp_execloop $(TP)/floor_scan $(TP)/libv.so $(TP)/libnos.so $(TP)/libv_big.so $(TP)/libv_2m.so $(TP)/libv_2m_packed.so $(TP)/tp_mapfile $(TP)/tp_nullcall $(TP)/tp_threads $(TP)/tp_brk $(TP)/tp_bigheap
# preflight (the glibc-update incident): libbase v1/v2 (same soname, versioned) and clients built against v2
PREFLIGHT_LIBS := $(TP)/libbase_v1.so $(TP)/libbase_v2.so $(TP)/libpf_use_old.so $(TP)/libpf_use_new.so \
                  $(TP)/libpf_use_v2only.so $(TP)/libpf_mid.so $(TP)/libpf_outer.so $(TP)/libpf_needs_absent.so
TESTPROGS  += $(PREFLIGHT_LIBS)

.PHONY: all setup native jar testprogs test fuzz demo bench install clean

all: native jar testprogs

native: $(HELPER)

$(HELPER): native/lmhelper.c native/lmhelper.h
	@mkdir -p $(NATIVE_DIR)
	$(CC) $(CFLAGS) -fPIC -shared -fvisibility=hidden -o $@ native/lmhelper.c

jar: $(JAR) $(JNA_DISPATCH) $(STARTUP)

# JNA's own native part, unpacked once here instead of into ~/.cache/JNA on every start
$(JNA_DISPATCH): $(JAR)
	@mkdir -p $(BUILD)/jna
	cd $(BUILD)/jna && jar xf $(abspath $(JAR)) com/sun/jna/linux-x86-64/libjnidispatch.so && mv com/sun/jna/linux-x86-64/libjnidispatch.so . && rm -rf com && touch libjnidispatch.so

$(JAR): $(HELPER) $(JAVA_SRC)
	$(MVN) package -DskipTests

# The classes (and, on JDK >= 25, their linking and profiles) of every command, recorded by one
# training run (scripts/make-startup-archive): start-up ~1/3 faster. The archive takes the jar's
# mtime (the launcher's check that it belongs to this jar), hence the order-only prerequisites.
$(STARTUP): $(JAR) | $(JNA_DISPATCH) $(TP)/tp_victim $(TP)/libv.so
	@scripts/make-startup-archive $(JAR) $(BUILD) >/dev/null 2>&1 || { echo "start-up archive not built (start-up will be slower)"; rm -f $@; }

OTHER_TARGETS := $(TP)/tp_true32 $(TP)/tp_victim32 $(TP)/libv32.so $(TP)/tp_victim_musl $(TP)/libv_musl.so $(TP)/tp_static $(TP)/tp_static_pie
testprogs: $(TESTPROGS) $(OTHER_TARGETS)

# Other kinds of target: i386 (gcc-multilib), musl (musl-tools), static.
# Optional: a missing toolchain leaves them unbuilt and their tests say so.

# builds wherever gcc-multilib is; runs only on a kernel with IA32 emulation (the tests probe it)
$(TP)/tp_true32: testprogs/tp_true.c
	@mkdir -p $(TP)
	-@$(CC) -m32 -O2 -o $@ $< 2>/dev/null || echo "note: $@ not built (install gcc-multilib)"

$(TP)/tp_victim32: testprogs/tp_victim.c
	@mkdir -p $(TP)
	-@$(CC) -m32 -O2 -g -o $@ $< -ldl 2>/dev/null || echo "note: $@ not built (install gcc-multilib)"

$(TP)/libv32.so: testprogs/libv.c
	@mkdir -p $(TP)
	-@$(CC) -m32 -O2 -g -fPIC -shared -Wl,-soname,libv.so.2 -o $@ $< 2>/dev/null || echo "note: $@ not built (install gcc-multilib)"

$(TP)/tp_victim_musl: testprogs/tp_victim.c
	@mkdir -p $(TP)
	-@musl-gcc -O2 -g -o $@ $< 2>/dev/null || echo "note: $@ not built (install musl-tools)"

$(TP)/libv_musl.so: testprogs/libv.c
	@mkdir -p $(TP)
	-@musl-gcc -O2 -g -fPIC -shared -Wl,-soname,libv.so.2 -o $@ $< 2>/dev/null || echo "note: $@ not built (install musl-tools)"

$(TP)/tp_static: testprogs/tp_sleeper.c
	@mkdir -p $(TP)
	-@$(CC) -O2 -static -o $@ $< 2>/dev/null || echo "note: $@ not built (no static libc)"

$(TP)/tp_static_pie: testprogs/tp_sleeper.c
	@mkdir -p $(TP)
	-@$(CC) -O2 -static-pie -o $@ $< 2>/dev/null || echo "note: $@ not built (no static-pie libc)"

$(TP)/libv.so: testprogs/libv.c
	@mkdir -p $(TP)
	$(CC) $(CFLAGS) -fPIC -shared -Wl,-soname,libv.so.2 -o $@ $<

# no DT_SONAME (like most Apache modules and Python extensions): the soname check cannot see its damage
$(TP)/libnos.so: testprogs/libv.c
	@mkdir -p $(TP)
	$(CC) $(CFLAGS) -fPIC -shared -o $@ $<

$(TP)/libv_big.so: testprogs/libv.c
	@mkdir -p $(TP)
	$(CC) $(CFLAGS) -DBIG -fPIC -shared -Wl,-soname,libv.so.2 -o $@ $<

# segments aligned to 2 MiB (as sqlite-jdbc's and snappy-java's JNI libraries are), code apart:
# the linker pads the file to the alignment
$(TP)/libv_2m.so: testprogs/libv.c
	@mkdir -p $(TP)
	$(CC) $(CFLAGS) -fPIC -shared -Wl,-soname,libv.so.2 -Wl,-z,max-page-size=0x200000 -Wl,-z,separate-code -o $@ $<

# the same without separate code: the file stays small, so ld.so's PROT_NONE gap maps offsets past its end
$(TP)/libv_2m_packed.so: testprogs/libv.c
	@mkdir -p $(TP)
	$(CC) $(CFLAGS) -fPIC -shared -Wl,-soname,libv.so.2 -Wl,-z,max-page-size=0x200000 -Wl,-z,noseparate-code -o $@ $<

$(TP)/libbase_v1.so: testprogs/libbase.c testprogs/libbase_v1.map
	@mkdir -p $(TP)
	$(CC) $(CFLAGS) -fPIC -shared -Wl,-soname,libbase.so.1 -Wl,--version-script,testprogs/libbase_v1.map -o $@ $<

$(TP)/libbase_v2.so: testprogs/libbase.c testprogs/libbase_v2.map
	@mkdir -p $(TP)
	$(CC) $(CFLAGS) -DV2 -fPIC -shared -Wl,-soname,libbase.so.1 -Wl,--version-script,testprogs/libbase_v2.map -o $@ $<

$(TP)/libpf_use_old.so $(TP)/libpf_use_new.so $(TP)/libpf_use_v2only.so: $(TP)/libpf_use_%.so: testprogs/libpf_client.c $(TP)/libbase_v2.so
	$(CC) $(CFLAGS) -DUSE_$(shell echo $* | tr a-z A-Z) -fPIC -shared -Wl,-soname,libpf_use_$*.so -o $@ $< $(TP)/libbase_v2.so

$(TP)/libpf_mid.so: testprogs/libpf_client.c $(TP)/libbase_v2.so
	$(CC) $(CFLAGS) -DUSE_NEW -DMID -fPIC -shared -Wl,-soname,libpf_mid.so -o $@ $< $(TP)/libbase_v2.so

# found at run time through RUNPATH $ORIGIN/deps (the test puts libpf_mid.so there)
$(TP)/libpf_outer.so: testprogs/libpf_client.c $(TP)/libpf_mid.so
	$(CC) $(CFLAGS) -DUSE_MID -fPIC -shared -Wl,-soname,libpf_outer.so -Wl,--enable-new-dtags,-rpath,'$$ORIGIN/deps' -o $@ $< $(TP)/libpf_mid.so

# libpf_absent.so.1 exists only to link against; it is never installed where ld.so looks
$(TP)/libpf_absent.so.1: testprogs/libpf_client.c
	$(CC) $(CFLAGS) -DABSENT -fPIC -shared -Wl,-soname,libpf_absent.so.1 -o $@ $<

$(TP)/libpf_needs_absent.so: testprogs/libpf_client.c $(TP)/libpf_absent.so.1
	$(CC) $(CFLAGS) -DUSE_ABSENT -fPIC -shared -Wl,-soname,libpf_needs_absent.so -o $@ $< $(TP)/libpf_absent.so.1

# the syscall floor of a host scan, for scripts/bench-scale
$(TP)/floor_scan: testprogs/floor_scan.c
	@mkdir -p $(TP)
	$(CC) $(CFLAGS) -o $@ $<

$(TP)/tp_%: testprogs/tp_%.c
	@mkdir -p $(TP)
	$(CC) $(CFLAGS) -o $@ $< -ldl

# `make test` and `make demo` work as the first command after a clone: scripts/setup
# installs what is missing (quiet and quick when everything is there), then the build.
setup:
	@scripts/setup

# not quiet: Surefire's "Tests run: …" summary is the result CI reads.
# Then a short coverage-guided fuzzing run of the ELF and core readers (20 s each).
test: setup
	@$(MAKE) --no-print-directory all
	mvn -B -Dbuild.root=$(abspath $(BUILD)) -Dstyle.color=never test; rc=$$?; scripts/test-skips; exit $$rc
	$(MAKE) --no-print-directory fuzz FUZZ_ROUNDS=1 FUZZ_TARGETS="elfFile coreFile"

# Longer fuzzing: every target, FUZZ_ROUNDS runs of its maxDuration each; the
# corpus grows in .cifuzz-corpus/ between rounds. Findings land in java/test-resources.
FUZZ_ROUNDS  ?= 10
FUZZ_TARGETS ?= elfFile coreFile procMaps auxvAndNotes kernelLines ldSoCache hsErrLog jarIndex
fuzz: all
	@for t in $(FUZZ_TARGETS); do for r in $$(seq $(FUZZ_ROUNDS)); do \
	    echo "fuzzing $$t, round $$r of $(FUZZ_ROUNDS)"; \
	    JAZZER_FUZZ=1 mvn -B -q -Dbuild.root=$(abspath $(BUILD)) -Dstyle.color=never -Dtest="ParserFuzzTest#$$t" \
	        -Dsurefire.failIfNoSpecifiedTests=false test 2>&1 | grep -E "DONE|Exception|FAIL|ERROR" ; \
	    test $${PIPESTATUS[0]} -eq 0 || exit 1; done; done

demo: setup
	@$(MAKE) --no-print-directory all
	scripts/demo

bench: all
	scripts/bench

demo-watch bench-watch: all
	scripts/$@

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/lminspect
	install -m 644 $(JAR) $(DESTDIR)$(PREFIX)/share/lminspect/lminspect.jar
	install -m 755 $(HELPER) $(DESTDIR)$(PREFIX)/share/lminspect/liblmhelper.so
	install -m 755 $(JNA_DISPATCH) $(DESTDIR)$(PREFIX)/share/lminspect/libjnidispatch.so
	install -m 644 scripts/jdk.sh $(DESTDIR)$(PREFIX)/share/lminspect/jdk.sh
	@# the start-up archive is tied to the jar's path: record it again for the installed jar
	rm -f $(DESTDIR)$(PREFIX)/share/lminspect/lminspect.jsa
	scripts/make-startup-archive $(DESTDIR)$(PREFIX)/share/lminspect/lminspect.jar $(DESTDIR)$(PREFIX)/share/lminspect $(BUILD) >/dev/null 2>&1 \
	    || echo "start-up archive not built for the installed jar (start-up will be slower)"
	install -m 755 scripts/lminspect $(DESTDIR)$(PREFIX)/bin/lminspect
	install -d $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/bash-completion/completions $(DESTDIR)$(PREFIX)/share/lminspect/gdb
	install -m 644 $(MAN_DIR)/*.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 644 $(COMPLETION) $(DESTDIR)$(PREFIX)/share/bash-completion/completions/lminspect
	install -m 644 packaging/gdb/lminspect.py $(DESTDIR)$(PREFIX)/share/lminspect/gdb/lminspect.py

clean:
	rm -rf $(BUILD)

# --- Fitting the ecosystem: man pages, shell completion, a Debian package ---
#   make man          build/man/lminspect.1 and lminspect-COMMAND.1, from the picocli model
#   make completion   build/completion/lminspect (bash; zsh through bashcompinit)
#   make deb          build/lminspect_VERSION_amd64.deb (dpkg-deb, no network)
PKG_VERSION := $(shell sed -n 's:^  <version>\(.*\)</version>:\1:p' pom.xml | head -1)
DEB_VERSION ?= $(PKG_VERSION)
MAN_DIR     := $(BUILD)/man
COMPLETION  := $(BUILD)/completion/lminspect
DEB         := $(BUILD)/lminspect_$(DEB_VERSION)_amd64.deb
# picocli's binary jar (provided scope): its AutoComplete writes the completion script
PICOCLI_CP  := $(BUILD)/maven/picocli.classpath
MANUALS     = java -cp $(JAR):$$(cat $(PICOCLI_CP)) io.lminspect.cli.docs.Manuals

.PHONY: man completion deb
man: $(MAN_DIR)/lminspect.1
completion: $(COMPLETION)
deb: $(DEB)
install: man completion

$(PICOCLI_CP): pom.xml
	$(MVN) dependency:build-classpath -Dmdep.outputFile=$(abspath $@) -DincludeArtifactIds=picocli -DincludeScope=provided

$(MAN_DIR)/lminspect.1: $(JAR) $(PICOCLI_CP)
	@rm -rf $(MAN_DIR)
	$(MANUALS) man $(MAN_DIR)

$(COMPLETION): $(JAR) $(PICOCLI_CP)
	$(MANUALS) completion $@

$(DEB): all $(MAN_DIR)/lminspect.1 $(COMPLETION) $(wildcard packaging/* packaging/*/*) scripts/lminspect scripts/make-startup-archive scripts/jdk.sh
	VERSION=$(DEB_VERSION) JAR=$(JAR) HELPER=$(HELPER) JNA=$(JNA_DISPATCH) LAUNCHER=scripts/lminspect \
	MAN_DIR=$(MAN_DIR) COMPLETION=$(COMPLETION) ARCHIVE_SCRIPT=scripts/make-startup-archive \
	TRAINING="$(TP)/tp_victim $(TP)/libv.so" packaging/build-deb $@
