# lminspect: everything is built under build/, so `make clean` is one rm.
#   make            helper library, jar (+ CDS archive), test programs, launcher
#   make test       every test (JUnit, real processes)
#   make demo       story 1, live: predict the crash, then watch it happen
#   make bench      scripts/bench (speed against pldd and gdb)
#   make install PREFIX=/usr/local
BUILD      := build
CC         ?= gcc
CFLAGS     ?= -O2 -g -Wall -Wextra
MVN        ?= mvn -B -q -Dbuild.root=$(abspath $(BUILD))
PREFIX     ?= /usr/local
NATIVE_DIR := $(BUILD)/native-res/linux-x86-64
HELPER     := $(NATIVE_DIR)/liblmhelper.so
JAR        := $(BUILD)/lminspect.jar
CDS        := $(BUILD)/lminspect.jsa
TP         := $(BUILD)/testprogs
JAVA_SRC   := $(shell find java/main -name '*.java') pom.xml

TESTPROGS  := $(TP)/tp_victim $(TP)/tp_hostile $(TP)/libv.so $(TP)/libv_big.so $(TP)/tp_mapfile $(TP)/tp_nullcall $(TP)/tp_threads $(TP)/tp_brk

.PHONY: all native jar testprogs test demo bench install clean

all: native jar testprogs

native: $(HELPER)

$(HELPER): native/lmhelper.c native/lmhelper.h
	@mkdir -p $(NATIVE_DIR)
	$(CC) $(CFLAGS) -fPIC -shared -fvisibility=hidden -o $@ native/lmhelper.c

jar: $(JAR) $(CDS)

$(JAR): $(HELPER) $(JAVA_SRC)
	$(MVN) package -DskipTests

# A static CDS archive of the classes a typical run loads: start-up ~1/3 faster.
$(CDS): $(JAR) $(TP)/tp_victim $(TP)/libv.so
	@scripts/make-cds $(JAR) $(CDS) >/dev/null 2>&1 || { echo "CDS archive not built (start-up will be slower)"; rm -f $(CDS); }

testprogs: $(TESTPROGS)

$(TP)/libv.so: testprogs/libv.c
	@mkdir -p $(TP)
	$(CC) $(CFLAGS) -fPIC -shared -Wl,-soname,libv.so.2 -o $@ $<

$(TP)/libv_big.so: testprogs/libv.c
	@mkdir -p $(TP)
	$(CC) $(CFLAGS) -DBIG -fPIC -shared -Wl,-soname,libv.so.2 -o $@ $<

$(TP)/tp_%: testprogs/tp_%.c
	@mkdir -p $(TP)
	$(CC) $(CFLAGS) -o $@ $< -ldl

# not quiet: Surefire's "Tests run: …" summary is the result CI reads
test: all
	mvn -B -Dbuild.root=$(abspath $(BUILD)) -Dstyle.color=never test

demo: all
	scripts/demo

bench: all
	scripts/bench

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/lminspect
	install -m 644 $(JAR) $(DESTDIR)$(PREFIX)/share/lminspect/lminspect.jar
	install -m 755 $(HELPER) $(DESTDIR)$(PREFIX)/share/lminspect/liblmhelper.so
	[ ! -f $(CDS) ] || install -m 644 $(CDS) $(DESTDIR)$(PREFIX)/share/lminspect/lminspect.jsa
	install -m 755 scripts/lminspect $(DESTDIR)$(PREFIX)/bin/lminspect

clean:
	rm -rf $(BUILD)
