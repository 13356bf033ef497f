<#
.SYNOPSIS
Install dapreturn from this offline bundle: no network, no admin rights.

.DESCRIPTION
Makes a user-level virtual environment (by default %LOCALAPPDATA%\Programs\dapreturn\venv) and
installs dapreturn into it with pip from the wheels folder beside this script
(pip install --no-index --find-links wheels --require-hashes -r requirements.txt: every wheel's
SHA-256 is checked). Nothing is downloaded and nothing outside your
user profile is changed. Running it again upgrades or repairs the installation; your keys,
drafts and settings (%LOCALAPPDATA%\dapreturn) are never touched.

Works in Windows PowerShell 5.1 and PowerShell 7. If scripts are blocked on this computer, run
install.cmd instead (it starts this script for this session only).

.PARAMETER Portable
Install beside this script (.\venv) and write the dapreturn-portable marker: keys, drafts and
settings then stay in .\dapreturn-data, and returns are written to .\returns. Start it with
dapreturn.cmd in this folder (it works whatever drive letter the stick gets).

.PARAMETER Venv
Where to make the virtual environment (not with -Portable).

.PARAMETER Python
The Python to use, e.g. C:\Users\me\AppData\Local\Programs\Python\Python312\python.exe.
Default: the newest version the py launcher knows that this bundle has wheels for, else
python on the PATH.

.PARAMETER NoPath
Do not add the environment's Scripts folder to your user PATH.

.EXAMPLE
.\install.cmd

.EXAMPLE
.\install.cmd -Portable
#>
[CmdletBinding()]
param(
    [switch]$Portable,
    [string]$Venv = "",
    [string]$Python = "",
    [switch]$NoPath
)

$ErrorActionPreference = "Stop"
Set-StrictMode -Version 2.0

$Here = Split-Path -Parent $MyInvocation.MyCommand.Path
$Wheels = Join-Path $Here "wheels"
$ManifestPath = Join-Path $Here "manifest.json"
$RequirementsPath = Join-Path $Here "requirements.txt"

function Say([string]$Text) { Write-Output $Text }

function Fail([string]$Text) {
    [Console]::Error.WriteLine("install.ps1: $Text")
    exit 1
}

# Run a program; return $true when it exits with status 0. Its output goes to the console
# (or nowhere with -Quiet). Native stderr never turns into a terminating error here.
function Invoke-Native([string]$Exe, [string[]]$Arguments, [switch]$Quiet) {
    $saved = $ErrorActionPreference
    $ErrorActionPreference = "Continue"
    try {
        if ($Quiet) {
            & $Exe @Arguments *> $null
        } else {
            & $Exe @Arguments
        }
        return ($LASTEXITCODE -eq 0)
    } catch {
        return $false
    } finally {
        $ErrorActionPreference = $saved
    }
}

# The Python's "3.12" version text, or $null when it does not run.
function Get-PythonVersion($Candidate) {
    $saved = $ErrorActionPreference
    $ErrorActionPreference = "Continue"
    try {
        $code = "import sys; print('%d.%d' % sys.version_info[:2])"
        $out = & $Candidate.Exe @($Candidate.Args + @("-c", $code)) 2> $null
        if ($LASTEXITCODE -ne 0 -or -not $out) { return $null }
        return ([string]($out | Select-Object -First 1)).Trim()
    } catch {
        return $null
    } finally {
        $ErrorActionPreference = $saved
    }
}

if (-not (Test-Path -LiteralPath $Wheels -PathType Container)) { Fail "no wheels folder beside this script ($Wheels)" }
if (-not (Test-Path -LiteralPath $ManifestPath -PathType Leaf)) { Fail "no manifest.json beside this script" }
if (-not (Test-Path -LiteralPath $RequirementsPath -PathType Leaf)) { Fail "no requirements.txt beside this script" }
$Manifest = Get-Content -LiteralPath $ManifestPath -Raw -Encoding UTF8 | ConvertFrom-Json
$Version = [string]$Manifest.version
$Pythons = @($Manifest.pythons)

if ($Portable -and $Venv) { Fail "-Portable installs into .\venv beside this script; leave out -Venv" }

# Find a Python this bundle has wheels for.
$Candidates = @()
if ($Python) {
    $Candidates += [pscustomobject]@{ Exe = $Python; Args = @() }
} else {
    foreach ($v in ($Pythons | Sort-Object -Descending)) {
        $Candidates += [pscustomobject]@{ Exe = "py"; Args = @("-$v") }
    }
    $Candidates += [pscustomobject]@{ Exe = "python"; Args = @() }
    $Candidates += [pscustomobject]@{ Exe = "python3"; Args = @() }
}
$Chosen = $null
foreach ($c in $Candidates) {
    $found = Get-PythonVersion $c
    if ($found -and ($Pythons -contains $found)) { $Chosen = $c; break }
}
if (-not $Chosen) {
    Fail ("no suitable Python found. This bundle needs Python " + ($Pythons -join " or ") +
        ". Install it from python.org for your user only (no admin needed), or give -Python.")
}

if (-not $Venv) {
    if ($Portable) { $Venv = Join-Path $Here "venv" }
    else { $Venv = Join-Path $env:LOCALAPPDATA "Programs\dapreturn\venv" }
}
$VenvPython = Join-Path $Venv "Scripts\python.exe"

if ((Test-Path -LiteralPath $Venv) -and -not (Test-Path -LiteralPath (Join-Path $Venv "pyvenv.cfg")) -and
    @(Get-ChildItem -LiteralPath $Venv -Force).Count -gt 0) {
    Fail "$Venv is a folder with files that is not a virtual environment; not touching it"
}

# Offline, whatever the user's pip configuration says.
$env:PIP_NO_INDEX = "1"
$env:PIP_DISABLE_PIP_VERSION_CHECK = "1"

$Reuse = (Test-Path -LiteralPath $VenvPython) -and (Invoke-Native $VenvPython @("-m", "pip", "--version") -Quiet)
if ($Reuse) {
    Say "Upgrading the existing environment in $Venv"
} else {
    Say "Making a virtual environment in $Venv"
    New-Item -ItemType Directory -Force -Path (Split-Path -Parent $Venv) | Out-Null
    $made = Invoke-Native $Chosen.Exe @($Chosen.Args + @("-m", "venv", "--clear", $Venv)) -Quiet
    if (-not $made) {
        Say "Making the environment with the bundle's pip instead."
        if (-not (Invoke-Native $Chosen.Exe @($Chosen.Args + @("-m", "venv", "--clear", "--without-pip", $Venv)))) {
            Fail "could not make $Venv"
        }
        $PipWheel = Get-ChildItem -LiteralPath $Wheels -Filter "pip-*.whl" | Select-Object -First 1
        if (-not $PipWheel) { Fail "no pip wheel in $Wheels" }
        $PipMain = Join-Path $PipWheel.FullName "pip"
        if (-not (Invoke-Native $VenvPython @($PipMain, "install", "--quiet", "--no-index", "--find-links", $Wheels, "pip"))) {
            Fail "could not install pip into $Venv"
        }
    }
}

# Exactly the wheels this bundle holds: every package pinned, every wheel's SHA-256 checked.
$InstallArgs = @("-m", "pip", "install", "--quiet", "--no-index", "--find-links", $Wheels, "--upgrade",
    "--require-hashes", "-r", $RequirementsPath)
if (-not (Invoke-Native $VenvPython $InstallArgs)) { Fail "installing dapreturn from $Wheels failed" }
if (-not (Invoke-Native $VenvPython @("-m", "dapreturn", "--version") -Quiet)) { Fail "dapreturn does not start" }
# What the bundle held, for `dapreturn --version --verbose` to check the installation against.
Copy-Item -LiteralPath $ManifestPath -Destination (Join-Path $Venv "dapreturn-bundle.json") -Force

if ($Portable) {
    New-Item -ItemType File -Force -Path (Join-Path $Here "dapreturn-portable") | Out-Null
    $Launcher = "@echo off`r`n" +
        "rem Start the portable dapreturn in this folder (whatever drive letter it has).`r`n" +
        "`"%~dp0venv\Scripts\python.exe`" -m dapreturn %*`r`n"
    Set-Content -LiteralPath (Join-Path $Here "dapreturn.cmd") -Value $Launcher -NoNewline -Encoding Ascii
    Say "Installed dapreturn $Version for portable use in $Here"
    Say "Keys, drafts and settings are kept in $(Join-Path $Here 'dapreturn-data')."
    Say "Start it with: $(Join-Path $Here 'dapreturn.cmd')   (or add: fill --plain)"
    exit 0
}

$Scripts = Join-Path $Venv "Scripts"
if (-not $NoPath) {
    $UserPath = [Environment]::GetEnvironmentVariable("Path", "User")
    if (-not $UserPath) { $UserPath = "" }
    $Parts = @($UserPath.Split(";") | Where-Object { $_ })
    if ($Parts -notcontains $Scripts) {
        [Environment]::SetEnvironmentVariable("Path", (($Parts + $Scripts) -join ";"), "User")
        Say "Added $Scripts to your PATH. Open a new terminal window to use it."
    }
    $Command = "dapreturn"
} else {
    $Command = Join-Path $Scripts "dapreturn.exe"
}
Say "Installed dapreturn $Version in $Venv"
Say "Start it with: $Command   (or: $Command fill --plain)"
