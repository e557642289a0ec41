//! The multi-service scenarios: one client per service (Compute, ComputeDisk, Storage), each
//! generated from its own Swagger at the version its mock answers, as a Rust user would depend
//! on one crate per service.

use crate::support::RESOURCE_GROUP;

macro_rules! vm_and_disk {
    ($group:ident, $compute:ident :: $cc:ident / $cco:ident, $disk:ident :: $dc:ident / $dco:ident, $vm_name:literal, $disk_name:literal, $vm_props:expr, $disk_props:expr) => {
        mod $group {
            use super::RESOURCE_GROUP;

            #[tokio::test]
            async fn compute_virtual_machines_get() {
                let client = crate::client!($compute, $cc, $cco);
                let vm =
                    client.virtual_machines().get(RESOURCE_GROUP, $vm_name, None).await.unwrap().into_model().unwrap();
                assert_eq!((vm.name.as_deref(), vm.location.as_str()), (Some($vm_name), "eastus"));
            }

            #[tokio::test]
            async fn compute_virtual_machines_create_or_update() {
                let client = crate::client!($compute, $cc, $cco);
                let vm = $compute::models::VirtualMachine {
                    location: "eastus".into(),
                    properties: Some($vm_props),
                    ..Default::default()
                };
                let poller = client
                    .virtual_machines()
                    .begin_create_or_update(RESOURCE_GROUP, $vm_name, vm.try_into().unwrap(), None)
                    .unwrap();
                let vm = poller.await.unwrap().into_model().unwrap();
                assert_eq!(vm.name.as_deref(), Some($vm_name));
            }

            #[tokio::test]
            async fn compute_disk_disks_get() {
                let client = crate::client!($disk, $dc, $dco);
                let disk = client.disks().get(RESOURCE_GROUP, $disk_name, None).await.unwrap().into_model().unwrap();
                assert_eq!((disk.name.as_deref(), disk.location.as_str()), (Some($disk_name), "eastus"));
            }

            #[tokio::test]
            async fn compute_disk_disks_create_or_update() {
                let client = crate::client!($disk, $dc, $dco);
                let disk = $disk::models::Disk {
                    location: "eastus".into(),
                    properties: Some($disk_props),
                    ..Default::default()
                };
                let poller = client
                    .disks()
                    .begin_create_or_update(RESOURCE_GROUP, $disk_name, disk.try_into().unwrap(), None)
                    .unwrap();
                let disk = poller.await.unwrap().into_model().unwrap();
                assert_eq!(disk.name.as_deref(), Some($disk_name));
            }
        }
    };
}

vm_and_disk!(
    latest,
    spector_multi_service_compute::AzureComputeResourceManagementApiClient
        / AzureComputeResourceManagementApiClientOptions,
    spector_multi_service_disk::AzureComputeResourceManagementApiClient
        / AzureComputeResourceManagementApiClientOptions,
    "vm1",
    "disk1",
    Default::default(),
    Default::default()
);

vm_and_disk!(
    older_versions,
    spector_older_compute::AzureComputeResourceManagementApiClient / AzureComputeResourceManagementApiClientOptions,
    spector_older_disk::AzureComputeDiskResourceManagementApiClient
        / AzureComputeDiskResourceManagementApiClientOptions,
    "vm-old1",
    "disk-old1",
    spector_older_compute::models::VirtualMachineProperties {
        size: Some("Standard_D2s_v3".into()),
        ..Default::default()
    },
    spector_older_disk::models::DiskProperties { disk_size_gb: Some(128), ..Default::default() }
);

/// Two services sharing a model (`SharedMetadata`), each crate with its own copy.
mod shared_models {
    use super::RESOURCE_GROUP;
    use std::collections::BTreeMap;

    fn tags(key: &str, value: &str) -> Option<BTreeMap<String, String>> {
        Some(BTreeMap::from([(key.to_owned(), value.to_owned())]))
    }

    fn compute() -> spector_shared_compute::AzureComputeResourceManagementApiClient {
        crate::client!(
            spector_shared_compute,
            AzureComputeResourceManagementApiClient,
            AzureComputeResourceManagementApiClientOptions
        )
    }

    fn storage() -> spector_shared_storage::AzureStorageResourceManagementApiClient {
        crate::client!(
            spector_shared_storage,
            AzureStorageResourceManagementApiClient,
            AzureStorageResourceManagementApiClientOptions
        )
    }

    #[tokio::test]
    async fn compute_virtual_machines_get() {
        let vm =
            compute().virtual_machines().get(RESOURCE_GROUP, "vm-shared1", None).await.unwrap().into_model().unwrap();
        let metadata = vm.properties.and_then(|p| p.metadata).expect("metadata");
        assert_eq!(metadata.created_by.as_deref(), Some("user@example.com"));
        assert_eq!(metadata.tags, tags("environment", "production"));
    }

    #[tokio::test]
    async fn compute_virtual_machines_create_or_update() {
        use spector_shared_compute::models::*;
        let metadata = AzureResourceManagerMultiServiceSharedModelsSharedSharedMetadata {
            created_by: Some("user@example.com".into()),
            tags: tags("environment", "production"),
            ..Default::default()
        };
        let vm = VirtualMachine {
            location: "eastus".into(),
            properties: Some(VirtualMachineProperties { metadata: Some(metadata), ..Default::default() }),
            ..Default::default()
        };
        let poller = compute()
            .virtual_machines()
            .begin_create_or_update(RESOURCE_GROUP, "vm-shared1", vm.try_into().unwrap(), None)
            .unwrap();
        assert_eq!(poller.await.unwrap().into_model().unwrap().name.as_deref(), Some("vm-shared1"));
    }

    #[tokio::test]
    async fn storage_storage_accounts_get() {
        let account =
            storage().storage_accounts().get(RESOURCE_GROUP, "account1", None).await.unwrap().into_model().unwrap();
        assert_eq!(account.location, "westus");
        let metadata = account.properties.and_then(|p| p.metadata).expect("metadata");
        assert_eq!(metadata.created_by.as_deref(), Some("admin@example.com"));
        assert_eq!(metadata.tags, tags("department", "engineering"));
    }

    #[tokio::test]
    async fn storage_storage_accounts_create_or_update() {
        use spector_shared_storage::models::*;
        let metadata = AzureResourceManagerMultiServiceSharedModelsSharedSharedMetadata {
            created_by: Some("admin@example.com".into()),
            tags: tags("department", "engineering"),
            ..Default::default()
        };
        let account = StorageAccount {
            location: "westus".into(),
            properties: Some(StorageAccountProperties { metadata: Some(metadata), ..Default::default() }),
            ..Default::default()
        };
        let poller = storage()
            .storage_accounts()
            .begin_create_or_update(RESOURCE_GROUP, "account1", account.try_into().unwrap(), None)
            .unwrap();
        assert_eq!(poller.await.unwrap().into_model().unwrap().name.as_deref(), Some("account1"));
    }
}
