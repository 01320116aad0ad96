; Inno Setup 6 script of the Baihe Desk installer (白河工作台 安装程序).
;
;   python tools\bootstrap.py build          (the frozen desk in dist\baihe-desk, with its version resource)
;   iscc packaging\baihe-desk.iss             (→ dist\baihe-desk-setup-<version>.exe)
;
; Per-user install without admin rights (PrivilegesRequired=lowest): the program goes to
; %LOCALAPPDATA%\Programs\BaiheDesk, shortcuts to the user's start menu and desktop. The court's IT
; may install for all users from the command line (/ALLUSERS, as administrator).
; The data folder (%LOCALAPPDATA%\BaiheDesk: database, backups, documents) is never part of the
; installation: an update over the old version keeps it (the desk backs the database up and migrates
; it at its next start) and the uninstaller leaves it in place.
;
; Silent mode (court IT, software distribution):
;   baihe-desk-setup-<version>.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART /CURRENTUSER /LOG="%TEMP%\baihe-setup.log"
;   add /MERGETASKS="!desktopicon" for no desktop shortcut, /DIR="D:\Programs\BaiheDesk" for another folder
;   uninstall: "%LOCALAPPDATA%\Programs\BaiheDesk\unins000.exe" /VERYSILENT /SUPPRESSMSGBOXES /NORESTART
; Code signing: iscc /DSignTool=signtool "/Ssigntool=signtool.exe sign /fd SHA256 /tr <timestamp URL> /td SHA256 /a $f" packaging\baihe-desk.iss
; (README: "For the court's IT").

#define AppName "白河林区基层法院 立案·调解工作台"
#define ShortName "白河工作台"
#define AppExe "baihe-desk.exe"
#define DistDir AddBackslash(SourcePath) + "..\dist\baihe-desk"
; One source of the version: baihe_desk.__version__ → the executable's version resource (the spec) → here.
#define AppVersion GetStringFileInfo(DistDir + "\" + AppExe, "ProductVersion")
#if AppVersion == ""
  #error dist\baihe-desk\baihe-desk.exe has no version: run "python tools\bootstrap.py build" on Windows first
#endif

[Setup]
AppId={{7D4C2E61-5B8A-4F3E-9C1D-BA1E0DE5C019}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=吉林省白河林区基层法院
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppName}
VersionInfoDescription={#ShortName} 安装程序
VersionInfoCompany=吉林省白河林区基层法院
; Per user, no administrator rights; /ALLUSERS on the command line for a machine-wide install.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=commandline
DefaultDirName={autopf}\BaiheDesk
DefaultGroupName={#ShortName}
DisableProgramGroupPage=yes
; Qt 6 needs Windows 10 1809 (build 17763) or later, 64-bit.
MinVersion=10.0.17763
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\dist
OutputBaseFilename=baihe-desk-setup-{#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; An update closes a running desk through the Restart Manager instead of failing on locked files.
CloseApplications=yes
RestartApplications=no
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
SetupLogging=yes
ShowLanguageDialog=no
#ifdef SignTool
SignTool={#SignTool}
SignedUninstaller=yes
#endif

[Languages]
#if FileExists(CompilerPath + "Languages\ChineseSimplified.isl")
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
#else
  #pragma warning "ChineseSimplified.isl is not in the compiler's Languages folder: the wizard speaks English"
Name: "english"; MessagesFile: "compiler:Default.isl"
#endif

[Tasks]
Name: "desktopicon"; Description: "在桌面创建快捷方式"; GroupDescription: "快捷方式："

[InstallDelete]
; An update replaces the program files completely (no stale modules of the old version); the data
; folder is elsewhere and untouched.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#DistDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#ShortName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Comment: "{#AppName}"
Name: "{autodesktop}\{#ShortName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Comment: "{#AppName}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "启动{#ShortName}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Only what the program itself left in its own folder; the data folder stays.
Type: filesandordirs; Name: "{app}\_internal"

[Code]
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if (CurUninstallStep = usPostUninstall) and not UninstallSilent then
    MsgBox(ExpandConstant('程序已卸载。数据（数据库、备份、已生成的文书）仍保留在 {localappdata}\BaiheDesk 文件夹中；' +
      '如确需删除，请先备份，再手动删除该文件夹。'), mbInformation, MB_OK);
end;
