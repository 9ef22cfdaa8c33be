# Sourced (POSIX sh) by scripts/lminspect, scripts/make-startup-archive and the Makefile:
# which JDK lminspect runs on, the name of its start-up archive and the JVM flags, decided
# in one place and without starting a JVM (a JDK home's `release` file gives its version).
# No subshells: the launcher runs this on every start (~1 ms).
#
#   lm_pick_jdk    sets LM_JAVA (the java binary), LM_JAVA_HOME, LM_JAVA_VERSION ("25.0.3",
#                  empty if unknown), LM_JAVA_MAJOR (25; 0 if unknown) and LM_ARCHIVE, the
#                  start-up archive's file name for that JDK: lminspect-25.0.3.aot (AOT cache,
#                  JDK >= 25), lminspect-17.0.15.jsa (dynamic CDS archive, 17-24), or empty.
#                  The version in the name keeps a JDK from being handed another's archive.
#                  Picks JAVA_HOME if set; else the newest JDK >= 17 among `java` on PATH
#                  and /usr/lib/jvm/*/bin/java; else plain `java` from PATH.
#   lm_jvm_flags   sets LM_JVM_FLAGS: the flags every run and the training run share (an AOT
#                  cache is refused when some differ, e.g. native access).

# LM_REL := JAVA_VERSION of the JDK home $1 (from $1/release); fails if there is none
lm_release_version() {
    LM_REL=""
    [ -r "$1/release" ] || return 1
    while IFS= read -r lm_line || [ -n "$lm_line" ]; do
        case $lm_line in
            JAVA_VERSION=*) lm_line=${lm_line#JAVA_VERSION=}; lm_line=${lm_line#\"}; LM_REL=${lm_line%%\"*}; break ;;
        esac
    done < "$1/release"
    [ -n "$LM_REL" ]
}

# LM_KEY := "25.0.3" as 25000003 (1.8.0_392 as 8000000), comparable as an integer; 0 if no version
lm_version_key() {
    lm_v=${1%%[!0-9.]*}
    case $lm_v in 1.*) lm_v=${lm_v#1.} ;; esac
    lm_ifs=$IFS; IFS=.; set -- $lm_v 0 0 0; IFS=$lm_ifs
    LM_KEY=0
    case "$1$2$3" in ''|*[!0-9]*) return 0 ;; esac
    # no leading zeros: $(( )) would read 08 as a bad octal number
    LM_KEY=$(( ${1#"${1%%[!0]*}"}0 / 10 * 1000000 + ${2#"${2%%[!0]*}"}0 / 10 * 1000 + ${3#"${3%%[!0]*}"}0 / 10 ))
}

lm_pick_jdk() {
    LM_JAVA_HOME=""; LM_JAVA_VERSION=""; LM_JAVA_MAJOR=0; LM_ARCHIVE=""
    if [ -n "${JAVA_HOME:-}" ]; then
        LM_JAVA_HOME=$JAVA_HOME
        lm_release_version "$JAVA_HOME" && LM_JAVA_VERSION=$LM_REL
    else
        lm_best=0
        lm_path_java=""
        lm_ifs=$IFS; IFS=:
        for lm_dir in $PATH; do
            [ -f "${lm_dir:-.}/java" ] && [ -x "${lm_dir:-.}/java" ] && { lm_path_java=${lm_dir:-.}/java; break; }
        done
        IFS=$lm_ifs
        # /usr/bin/java: Debian's alternatives, symbolic links into the JDK. Found among
        # /usr/lib/jvm by -ef (same file) without running readlink (~4 ms of every start)
        if [ -L "$lm_path_java" ]; then
            lm_same=""
            for lm_java in /usr/lib/jvm/*/bin/java; do
                [ "$lm_java" -ef "$lm_path_java" ] && { lm_same=$lm_java; break; }
            done
            if [ -n "$lm_same" ]; then lm_path_java=$lm_same; else lm_path_java=$(readlink -f "$lm_path_java"); fi
        fi
        for lm_java in $lm_path_java /usr/lib/jvm/*/bin/java; do
            [ -x "$lm_java" ] || continue
            lm_home=${lm_java%/bin/java}
            lm_release_version "$lm_home" || continue
            lm_version_key "$LM_REL"
            # >= 17 and strictly newer: on a tie the first (PATH's java) wins
            if [ "$LM_KEY" -ge 17000000 ] && [ "$LM_KEY" -gt "$lm_best" ]; then
                lm_best=$LM_KEY; LM_JAVA_HOME=$lm_home; LM_JAVA_VERSION=$LM_REL
            fi
        done
    fi
    if [ -n "$LM_JAVA_HOME" ]; then LM_JAVA=$LM_JAVA_HOME/bin/java; else LM_JAVA=java; fi
    if [ -n "$LM_JAVA_VERSION" ]; then
        lm_version_key "$LM_JAVA_VERSION"
        LM_JAVA_MAJOR=$(( LM_KEY / 1000000 ))
    fi
    if [ "$LM_JAVA_MAJOR" -ge 25 ]; then LM_ARCHIVE="lminspect-$LM_JAVA_VERSION.aot"
    elif [ "$LM_JAVA_MAJOR" -ge 17 ]; then LM_ARCHIVE="lminspect-$LM_JAVA_VERSION.jsa"
    fi
    return 0
}

# C1 only, serial GC, small fixed limits: a CLI lives for a fraction of a second. Native
# access granted to the class path (JNA): from JDK 24 on its System.load() otherwise prints
# a warning on every run. Paths (JNA's directories, the jar) are added by the callers.
lm_jvm_flags() {
    LM_JVM_FLAGS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss4m -Xmx1g -XX:-UsePerfData -Djna.nosys=true -Dfile.encoding=UTF-8"
    [ "$LM_JAVA_MAJOR" -ge 17 ] && LM_JVM_FLAGS="$LM_JVM_FLAGS --enable-native-access=ALL-UNNAMED"
    return 0
}
