; Porta's per-user setup program for Windows (NSIS 3, Unicode). No administrator rights: it
; installs under %LOCALAPPDATA%\Programs\Porta for the user who runs it.
;
; Built by `cargo xtask bundle --windows`, which passes:
;   VERSION    the app's version (0.1.0)
;   SOURCE     the folder holding porta.exe and WebView2Loader.dll
;   ICON       the app's .ico
;   OUTFILE    the setup program to write
;   SIGN_UNINSTALLER  (optional) the command that signs the uninstaller written to %1
;   WEBVIEW2_RUNTIME  (optional) the fixed-version WebView2 runtime's folder, carried into
;                     $INSTDIR\WebView2Runtime (porta.exe is then built to look there)
;
; Options: /S installs silently; /RUN (given by Porta when it updates itself) waits for the
; closing Porta to let go of porta.exe, then starts the new one.
;
; The data folder (%APPDATA%\Porta\Porta\data: the encrypted database and its key file) is never
; written by the installer and stays on uninstall unless the operator asks to delete it.

; A 64-bit setup program for a 64-bit app: it also runs under Wine without its 32-bit part.
Target amd64-unicode
SetCompressor /SOLID lzma
RequestExecutionLevel user
ManifestDPIAware true

!include MUI2.nsh
!include LogicLib.nsh
!include FileFunc.nsh

!define PRODUCT "Porta"
!define PUBLISHER "Ambito Territoriale Sociale"
!define IDENTIFIER "it.porta.pua"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${IDENTIFIER}"
!define DATA_FOLDER "$APPDATA\Porta\Porta"
; The web view's own profile (what Tauri keeps beside the data: window state, caches).
!define WEBVIEW_FOLDER "$LOCALAPPDATA\${IDENTIFIER}"
; Microsoft Edge WebView2 Runtime's client key, per machine and per user.
!define WEBVIEW2_CLIENT "Microsoft\EdgeUpdate\Clients\{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}"

; The uninstaller is signed as it is written, before it is packed into the setup program.
!ifdef SIGN_UNINSTALLER
  !uninstfinalize `${SIGN_UNINSTALLER}`
!endif

Name "${PRODUCT}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\${PRODUCT}"
InstallDirRegKey HKCU "Software\${PRODUCT}" "InstallLocation"
BrandingText "${PRODUCT} ${VERSION}"

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=0 "ProductName" "${PRODUCT}"
VIAddVersionKey /LANG=0 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=0 "FileDescription" "${PRODUCT} - installazione"
VIAddVersionKey /LANG=0 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "LegalCopyright" "EUPL-1.2"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\porta.exe"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

; Italian first: the language of a Windows that is neither Italian nor English.
!insertmacro MUI_LANGUAGE "Italian"
!insertmacro MUI_LANGUAGE "English"

LangString WebView2Missing ${LANG_ITALIAN} "Per aprire Porta serve Microsoft Edge WebView2 Runtime, che su questo computer non risulta installato.$\r$\n$\r$\nChieda all'ufficio informatico di installare il programma di installazione offline di WebView2 Runtime (Evergreen Standalone Installer, x64), poi apra Porta.$\r$\n$\r$\nInstallare Porta adesso?"
LangString WebView2Missing ${LANG_ENGLISH} "Porta needs Microsoft Edge WebView2 Runtime, which is not installed on this computer.$\r$\n$\r$\nAsk your IT office to install WebView2 Runtime's offline installer (Evergreen Standalone Installer, x64), then open Porta.$\r$\n$\r$\nInstall Porta now?"
LangString RemoveData ${LANG_ITALIAN} "Eliminare anche i dati di Porta su questo computer?$\r$\n$\r$\nLe cartelle non ancora sincronizzate con il server dell'Ambito andrebbero perse. Scelga No per conservarli (per esempio per reinstallare Porta)."
LangString RemoveData ${LANG_ENGLISH} "Also delete Porta's data on this computer?$\r$\n$\r$\nFolders not yet synced with the Ambito's server would be lost. Choose No to keep them (for instance to install Porta again)."
LangString StillRunning ${LANG_ITALIAN} "Porta è aperto. Lo chiuda e scelga Riprova."
LangString StillRunning ${LANG_ENGLISH} "Porta is open. Close it and choose Retry."

!ifndef WEBVIEW2_RUNTIME
; Whether Microsoft Edge WebView2 Runtime is installed (per machine or for this user).
Function WebView2Installed
  ; The runtime registers per machine in the registry's 32-bit view (WOW6432Node).
  SetRegView 32
  ReadRegStr $0 HKLM "SOFTWARE\${WEBVIEW2_CLIENT}" "pv"
  SetRegView 64
  ${If} $0 == ""
  ${OrIf} $0 == "0.0.0.0"
    ReadRegStr $0 HKCU "Software\${WEBVIEW2_CLIENT}" "pv"
  ${EndIf}
  ${If} $0 == ""
  ${OrIf} $0 == "0.0.0.0"
    Push 0
  ${Else}
    Push 1
  ${EndIf}
FunctionEnd
!endif

Function .onInit
  ; A release that carries the fixed-version runtime (WEBVIEW2_RUNTIME) needs nothing more.
  !ifndef WEBVIEW2_RUNTIME
  Call WebView2Installed
  Pop $1
  ; A silent install (the office IT's) goes on: IT installs the runtime on its own.
  ${If} $1 == 0
  ${AndIfNot} ${Silent}
    MessageBox MB_YESNO|MB_ICONEXCLAMATION|MB_DEFBUTTON2 "$(WebView2Missing)" IDYES +2
    Abort
  ${EndIf}
  !endif
FunctionEnd

Section "Porta" Main
  SectionIn RO
  SetOutPath "$INSTDIR"
  ; An open Porta holds porta.exe: ask to close it rather than leave a half-replaced install.
  ; Started by Porta to update itself (/RUN), Porta is closing: wait for it, up to 30 seconds.
  StrCpy $R9 0
  retry:
  ClearErrors
  File "${SOURCE}\porta.exe"
  ${If} ${Errors}
    ${GetParameters} $R0
    ClearErrors
    ${GetOptions} $R0 "/RUN" $R1
    ${IfNot} ${Errors}
    ${AndIf} $R9 < 60
      IntOp $R9 $R9 + 1
      Sleep 500
      Goto retry
    ${EndIf}
    MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "$(StillRunning)" /SD IDCANCEL IDRETRY retry
    Abort
  ${EndIf}
  File "${SOURCE}\WebView2Loader.dll"
  !ifdef WEBVIEW2_RUNTIME
  ; Microsoft's fixed-version runtime, where porta.exe was built to look for it.
  SetOutPath "$INSTDIR\WebView2Runtime"
  File /r "${WEBVIEW2_RUNTIME}\*"
  SetOutPath "$INSTDIR"
  !endif
  WriteUninstaller "$INSTDIR\uninstall.exe"
  CreateShortcut "$SMPROGRAMS\${PRODUCT}.lnk" "$INSTDIR\porta.exe"

  WriteRegStr HKCU "Software\${PRODUCT}" "InstallLocation" "$INSTDIR"
  ; Programs and Features (Apps) for this user.
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${PRODUCT}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\porta.exe"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "EstimatedSize" $0

  ; An update Porta started (/RUN): the new Porta opens when it is in place.
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/RUN" $R1
  ${IfNot} ${Errors}
    Exec '"$INSTDIR\porta.exe"'
  ${EndIf}
SectionEnd

Section "Uninstall"
  Delete "$INSTDIR\porta.exe"
  Delete "$INSTDIR\WebView2Loader.dll"
  RMDir /r "$INSTDIR\WebView2Runtime"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\${PRODUCT}.lnk"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
  DeleteRegKey HKCU "Software\${PRODUCT}"

  ; The data stay unless the operator asks, and always in a silent uninstall.
  ${IfNot} ${Silent}
    MessageBox MB_YESNO|MB_ICONQUESTION|MB_DEFBUTTON2 "$(RemoveData)" IDNO keep
    RMDir /r "${DATA_FOLDER}"
    RMDir "$APPDATA\Porta"
    RMDir /r "${WEBVIEW_FOLDER}"
    keep:
  ${EndIf}
SectionEnd
