//! The service on Windows: a real Windows service named `pitwall`, created with the service
//! control manager to start at boot as LocalSystem and run `pitwall.exe service run` with
//! the install's flags. `service run` connects to the service control dispatcher and hosts
//! the same tracker as `pitwall run`, until the manager sends stop (or shutdown).
//!
//! Installing and controlling services needs an administrator; errors say so.

use std::ffi::OsString;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow, bail};
use windows_service::Error as ServiceError;
use windows_service::service::{
    Service, ServiceAccess, ServiceControl, ServiceControlAccept, ServiceErrorControl,
    ServiceExitCode, ServiceInfo, ServiceStartType, ServiceState, ServiceStatus, ServiceType,
};
use windows_service::service_control_handler::{
    self, ServiceControlHandlerResult, ServiceStatusHandle,
};
use windows_service::service_dispatcher;
use windows_service::service_manager::{ServiceManager, ServiceManagerAccess};

use super::NAME;
use crate::cli::{RunArgs, ServiceInstallArgs};
use crate::stop::Stop;

/// Win32 error codes the messages explain.
const ERROR_ACCESS_DENIED: i32 = 5;
const ERROR_SERVICE_DOES_NOT_EXIST: i32 = 1060;
const ERROR_FAILED_SERVICE_CONTROLLER_CONNECT: i32 = 1063;
const ERROR_SERVICE_EXISTS: i32 = 1073;

/// How long start, stop and uninstall wait for the service to get there.
const WAIT: Duration = Duration::from_secs(30);

pub(super) fn install(args: &ServiceInstallArgs) -> anyhow::Result<()> {
    let exe = std::env::current_exe().context("cannot find pitwall's own executable")?;
    let plan = super::run_plan(args, super::user_data_dir)?;
    // Secrets go to owner-only files in the user's data directory, passed by path: the
    // service's command line is readable by every local user.
    let secrets_dir = super::user_data_dir()?;
    let flags = plan.flags_with_secret_files(&secrets_dir, !args.print)?;
    let info = service_info(exe, flags);
    if args.print {
        println!("service {NAME} (starts at boot, as LocalSystem):");
        println!("{}", command_line(&info));
        return Ok(());
    }
    let manager = manager(ServiceManagerAccess::CONNECT | ServiceManagerAccess::CREATE_SERVICE)?;
    let access = ServiceAccess::CHANGE_CONFIG | ServiceAccess::START | ServiceAccess::QUERY_STATUS;
    let service = manager
        .create_service(&info, access)
        .map_err(|e| match os_code(&e) {
            Some(ERROR_SERVICE_EXISTS) => anyhow!(
                "the service {NAME} is already installed: `pitwall service uninstall` first \
                 to install it with other flags"
            ),
            _ => explain(e, "cannot create the service"),
        })?;
    service
        .set_description("Lap-time tracker for Assetto Corsa Competizione (pitwall run)")
        .map_err(|e| explain(e, "cannot describe the service"))?;
    println!("installed the service {NAME}: {}", command_line(&info));
    start_and_wait(&service)?;
    println!(
        "pitwall runs in the background: dashboard at http://{}/",
        args.listen.listen
    );
    Ok(())
}

pub(super) fn uninstall() -> anyhow::Result<()> {
    let manager = manager(ServiceManagerAccess::CONNECT)?;
    let access = ServiceAccess::QUERY_STATUS | ServiceAccess::STOP | ServiceAccess::DELETE;
    let Some(service) = open(&manager, access)? else {
        println!("pitwall is not installed as a service");
        return Ok(());
    };
    stop_and_wait(&service)?;
    service
        .delete()
        .map_err(|e| explain(e, "cannot remove the service"))?;
    drop(service);
    // Deleting only marks the service; it goes once every handle to it is closed.
    let started = Instant::now();
    while started.elapsed() < WAIT {
        if open(&manager, ServiceAccess::QUERY_STATUS)?.is_none() {
            println!("removed the service {NAME}");
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    println!(
        "the service {NAME} is marked for removal: it goes once nothing holds it open (close \
         the Services window) or at the next boot"
    );
    Ok(())
}

pub(super) fn start() -> anyhow::Result<()> {
    let manager = manager(ServiceManagerAccess::CONNECT)?;
    let service = installed(&manager, ServiceAccess::START | ServiceAccess::QUERY_STATUS)?;
    start_and_wait(&service)
}

pub(super) fn stop() -> anyhow::Result<()> {
    let manager = manager(ServiceManagerAccess::CONNECT)?;
    let service = installed(&manager, ServiceAccess::STOP | ServiceAccess::QUERY_STATUS)?;
    stop_and_wait(&service)
}

pub(super) fn status() -> anyhow::Result<()> {
    let manager = manager(ServiceManagerAccess::CONNECT)?;
    let Some(service) = open(
        &manager,
        ServiceAccess::QUERY_STATUS | ServiceAccess::QUERY_CONFIG,
    )?
    else {
        println!("pitwall is not installed as a service");
        return Ok(());
    };
    let status = query(&service)?;
    let config = service
        .query_config()
        .map_err(|e| explain(e, "cannot read the service's configuration"))?;
    match status.process_id {
        Some(pid) => println!(
            "{NAME}: {} (process {pid})",
            state_name(status.current_state)
        ),
        None => println!("{NAME}: {}", state_name(status.current_state)),
    }
    println!("command: {}", config.executable_path.display());
    println!("starts: {:?}", config.start_type);
    Ok(())
}

/// The installed service's command line, as the service manager gives it to `pitwall.exe`.
pub(super) fn service_info(exe: PathBuf, flags: Vec<OsString>) -> ServiceInfo {
    let mut launch_arguments: Vec<OsString> = vec!["service".into(), "run".into()];
    launch_arguments.extend(flags);
    ServiceInfo {
        name: NAME.into(),
        display_name: "pitwall".into(),
        service_type: ServiceType::OWN_PROCESS,
        start_type: ServiceStartType::AutoStart,
        error_control: ServiceErrorControl::Normal,
        executable_path: exe,
        launch_arguments,
        dependencies: Vec::new(),
        account_name: None, // LocalSystem
        account_password: None,
    }
}

/// `info`'s command line for people to read (quoted where it has spaces).
fn command_line(info: &ServiceInfo) -> String {
    std::iter::once(info.executable_path.as_os_str())
        .chain(info.launch_arguments.iter().map(OsString::as_os_str))
        .map(|word| {
            let word = word.to_string_lossy();
            if word.is_empty() || word.contains([' ', '\t', '"']) {
                format!("\"{}\"", word.replace('"', "\\\""))
            } else {
                word.into_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

// --- Running as the service -----------------------------------------------------------------

/// The flags of `service run`, for the service's main function (which the dispatcher calls
/// on a thread of its own, without a way to pass them).
static RUN_ARGS: OnceLock<RunArgs> = OnceLock::new();

/// `pitwall.exe service run`: hands this process to the service control dispatcher, which
/// returns once the service has stopped.
pub(super) fn run(args: RunArgs) -> anyhow::Result<()> {
    RUN_ARGS
        .set(args)
        .map_err(|_| anyhow!("the service was started twice in one process"))?;
    tracing::info!(
        "service {NAME}: starting (pitwall {})",
        env!("CARGO_PKG_VERSION")
    );
    service_dispatcher::start(NAME, service_main).map_err(|e| match os_code(&e) {
        Some(ERROR_FAILED_SERVICE_CONTROLLER_CONNECT) => anyhow!(
            "`pitwall service run` is what the Windows service manager starts: use \
             `pitwall service start`, or `pitwall run` to track laps in this window"
        ),
        _ => explain(e, "cannot connect to the service control dispatcher"),
    })
}

/// The service's entry point, called by the dispatcher. Arguments given to a start request
/// (`sc start pitwall ARGS`) are not used: the service runs with the flags stored at install,
/// which arrive on its command line.
extern "system" fn service_main(_argc: u32, _argv: *mut *mut u16) {
    match serve() {
        Ok(()) => tracing::info!("service {NAME}: stopped"),
        Err(e) => tracing::error!("service {NAME} failed: {e:#}"),
    }
}

/// Reports the service running, runs the tracker until the manager says stop, reports it
/// stopped (with exit code 1 when the tracker failed).
fn serve() -> anyhow::Result<()> {
    let args = RUN_ARGS
        .get()
        .cloned()
        .context("the service started without its flags")?;
    let stop = Stop::new();
    let handle: Arc<OnceLock<ServiceStatusHandle>> = Arc::new(OnceLock::new());
    let on_control = {
        let (stop, handle) = (stop.clone(), Arc::clone(&handle));
        move |control| match control {
            ServiceControl::Stop | ServiceControl::Shutdown => {
                tracing::info!("service {NAME}: asked to stop");
                stop.request();
                if let Some(handle) = handle.get() {
                    let _ = handle.set_service_status(service_status(ServiceState::StopPending, 0));
                }
                ServiceControlHandlerResult::NoError
            }
            ServiceControl::Interrogate => ServiceControlHandlerResult::NoError,
            _ => ServiceControlHandlerResult::NotImplemented,
        }
    };
    let status_handle = service_control_handler::register(NAME, on_control)
        .map_err(|e| explain(e, "cannot register the service's control handler"))?;
    let _ = handle.set(status_handle);
    status_handle
        .set_service_status(service_status(ServiceState::Running, 0))
        .map_err(|e| explain(e, "cannot report the service running"))?;
    let result = crate::commands::run::run_until(args, &stop);
    let code = u32::from(result.is_err());
    status_handle
        .set_service_status(service_status(ServiceState::Stopped, code))
        .map_err(|e| explain(e, "cannot report the service stopped"))?;
    result
}

fn service_status(state: ServiceState, exit_code: u32) -> ServiceStatus {
    let controls_accepted = match state {
        ServiceState::Running => ServiceControlAccept::STOP | ServiceControlAccept::SHUTDOWN,
        _ => ServiceControlAccept::empty(),
    };
    ServiceStatus {
        service_type: ServiceType::OWN_PROCESS,
        current_state: state,
        controls_accepted,
        exit_code: ServiceExitCode::Win32(exit_code),
        checkpoint: 0,
        wait_hint: match state {
            ServiceState::StopPending => Duration::from_secs(10),
            _ => Duration::ZERO,
        },
        process_id: None,
    }
}

// --- Helpers ---------------------------------------------------------------------------------

fn manager(access: ServiceManagerAccess) -> anyhow::Result<ServiceManager> {
    ServiceManager::local_computer(None::<&str>, access)
        .map_err(|e| explain(e, "cannot open the service control manager"))
}

/// The service, or `None` when it is not installed.
fn open(manager: &ServiceManager, access: ServiceAccess) -> anyhow::Result<Option<Service>> {
    match manager.open_service(NAME, access) {
        Ok(service) => Ok(Some(service)),
        Err(e) if os_code(&e) == Some(ERROR_SERVICE_DOES_NOT_EXIST) => Ok(None),
        Err(e) => Err(explain(e, "cannot open the service")),
    }
}

fn installed(manager: &ServiceManager, access: ServiceAccess) -> anyhow::Result<Service> {
    open(manager, access)?.context(
        "pitwall is not installed as a service: run `pitwall service install` (as an \
         administrator)",
    )
}

fn query(service: &Service) -> anyhow::Result<ServiceStatus> {
    service
        .query_status()
        .map_err(|e| explain(e, "cannot query the service"))
}

fn start_and_wait(service: &Service) -> anyhow::Result<()> {
    if query(service)?.current_state == ServiceState::Running {
        println!("the service {NAME} is already running");
        return Ok(());
    }
    service
        .start::<&str>(&[])
        .map_err(|e| explain(e, "cannot start the service"))?;
    let status = wait_while(
        service,
        &[ServiceState::StartPending, ServiceState::Stopped],
    )?;
    match status.current_state {
        ServiceState::Running => {
            println!("started the service {NAME}");
            Ok(())
        }
        state => bail!(
            "the service {NAME} did not start ({}, exit code {:?}): see pitwall-service.log \
             in its data directory",
            state_name(state),
            status.exit_code
        ),
    }
}

fn stop_and_wait(service: &Service) -> anyhow::Result<()> {
    if query(service)?.current_state == ServiceState::Stopped {
        println!("the service {NAME} is not running");
        return Ok(());
    }
    service
        .stop()
        .map_err(|e| explain(e, "cannot stop the service"))?;
    let status = wait_while(service, &[ServiceState::Running, ServiceState::StopPending])?;
    if status.current_state != ServiceState::Stopped {
        bail!(
            "the service {NAME} did not stop within {} s",
            WAIT.as_secs()
        );
    }
    println!("stopped the service {NAME}");
    Ok(())
}

/// Polls the service's state while it is one of `states`, for up to [`WAIT`]. A service
/// just asked to start may still read stopped for a moment: `Stopped` counts as passing
/// only in the first second.
fn wait_while(service: &Service, states: &[ServiceState]) -> anyhow::Result<ServiceStatus> {
    let started = Instant::now();
    loop {
        let status = query(service)?;
        let passing = states.contains(&status.current_state)
            && (status.current_state != ServiceState::Stopped
                || started.elapsed() < Duration::from_secs(1));
        if !passing || started.elapsed() >= WAIT {
            return Ok(status);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn state_name(state: ServiceState) -> &'static str {
    match state {
        ServiceState::Stopped => "stopped",
        ServiceState::StartPending => "starting",
        ServiceState::StopPending => "stopping",
        ServiceState::Running => "running",
        ServiceState::ContinuePending => "resuming",
        ServiceState::PausePending => "pausing",
        ServiceState::Paused => "paused",
    }
}

fn os_code(e: &ServiceError) -> Option<i32> {
    match e {
        ServiceError::Winapi(io) => io.raw_os_error(),
        _ => None,
    }
}

/// `e` with what failed, and what to do when access was denied.
fn explain(e: ServiceError, what: &str) -> anyhow::Error {
    if os_code(&e) == Some(ERROR_ACCESS_DENIED) {
        return anyhow!(
            "{what}: access denied — services are managed from an administrator prompt \
             (right-click the terminal, Run as administrator)"
        );
    }
    anyhow::Error::new(e).context(what.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_service_runs_service_run_with_the_install_flags() {
        let exe = PathBuf::from(r"C:\Program Files\pitwall\pitwall.exe");
        let flags = [
            "--data-dir",
            r"C:\Users\Margot\AppData\Roaming\pitwall\data",
        ]
        .map(OsString::from)
        .to_vec();
        let info = service_info(exe.clone(), flags);
        assert_eq!(info.name, OsString::from("pitwall"));
        assert_eq!(info.executable_path, exe);
        assert_eq!(info.start_type, ServiceStartType::AutoStart);
        assert_eq!(info.service_type, ServiceType::OWN_PROCESS);
        assert_eq!(info.account_name, None);
        assert_eq!(
            info.launch_arguments,
            [
                "service",
                "run",
                "--data-dir",
                r"C:\Users\Margot\AppData\Roaming\pitwall\data"
            ]
            .map(OsString::from)
        );
        assert_eq!(
            command_line(&info),
            r#""C:\Program Files\pitwall\pitwall.exe" service run --data-dir C:\Users\Margot\AppData\Roaming\pitwall\data"#
        );
    }

    #[test]
    fn only_a_running_service_accepts_stop() {
        let running = service_status(ServiceState::Running, 0);
        assert!(
            running
                .controls_accepted
                .contains(ServiceControlAccept::STOP)
        );
        let stopped = service_status(ServiceState::Stopped, 1);
        assert!(stopped.controls_accepted.is_empty());
        assert_eq!(stopped.exit_code, ServiceExitCode::Win32(1));
    }

    #[test]
    fn run_outside_the_service_manager_says_what_to_do() {
        use clap::Parser;
        let cli = crate::cli::Cli::parse_from(["pitwall", "service", "run"]);
        let Some(crate::cli::Command::Service(args)) = cli.command else {
            panic!("parsed as a service command");
        };
        let crate::cli::ServiceAction::Run(args) = args.action else {
            panic!("parsed as service run");
        };
        let e = run(args).unwrap_err();
        assert!(format!("{e:#}").contains("pitwall service start"), "{e:#}");
    }
}
