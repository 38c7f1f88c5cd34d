-- rtcsim schema: Lync Server 2013 "rtc" database as the PUBLIC EVIDENCE shapes it (short name lync2013-evidence).
--
-- No public DDL of the rtc database exists. This file is written from the project SPEC (6, 6.1, 7, 7.1) and
-- research/rtc-evidence.md (public scripts by Lync administrators), never from the product's files. Where the
-- evidence stops, it is shaped by honest ignorance: other string lengths than the reconstructed lync2013.sql,
-- columns the product does not know, a table it has never heard of, another procedure-parameter name. Every
-- fact below is marked:
--   [evidence]   a name confirmed by a public script (the source is in research/rtc-evidence.md)
--   [Cisco]      a name from Cisco's DeleteAccount log (the seed): the plan's tables and two procedures
--   [invented]   rtcsim's guess; a real server may differ (column types are ALWAYS a guess: no public source
--                confirms a single column type)
--   [undo]       not confirmed: here so that undo is exercised (IDENTITY, rowversion, computed columns in
--                tables whose rows the delete removes)
--
-- Format: see lync2013.sql; besides it, CREATE TYPE (alias types), IDENTITY(seed, increment), ROWVERSION,
-- computed columns (Name AS (expr)), DEFAULT GETUTCDATE(), and per procedure DEFINITION / DEFINITION ENCRYPTED
-- with "-- |" text lines (what OBJECT_DEFINITION returns). internal/rtcsim/schema.go documents the syntax.
--
-- Version markers probed through sysobjects: Resource yes, Endpoint no, Container yes, HomedResource YES (Cisco's
-- log on a Lync 2013 front end found none, a public C# tool of unstated version uses it: the version decision
-- must rest on ForestDirectory), CertificateStore yes, ForestDirectory yes.

-- [evidence] ResourceId is a user-defined alias type: `declare @OwnerId ResourceId` (a C# tool calling
-- dbo.RtcSetContact). INFORMATION_SCHEMA reports its base type (DATA_TYPE int) and its name as DOMAIN_NAME.
-- [invented] its base type int.
CREATE TYPE dbo.ResourceId FROM INT;

-- ---------------------------------------------------------------------------------------------------
-- Contact tables.
-- [evidence] Resource(ResourceId, UserAtHost); lookup WHERE [UserAtHost] = 'user@host' (no sip:).
-- [invented] UserAtHost's length; ResourceType.
CREATE TABLE dbo.Resource (
    ResourceId        ResourceId      NOT NULL PRIMARY KEY,
    UserAtHost        NVARCHAR(256)   NOT NULL UNIQUE,
    ResourceType      TINYINT         NOT NULL DEFAULT 0
);

-- [evidence] the columns, in the order public reports list them (RoutingGroupId: Lync 2013). Enabled
-- probably mirrors msRTCSIP-UserEnabled as the User Replicator last saw it (not proven).
-- [invented] every type; the DEFAULTs. A public report reads CONVERT(VARCHAR(100), AdDisplayName).
CREATE TABLE dbo.ResourceDirectory (
    ResourceId        ResourceId      NOT NULL PRIMARY KEY,
    UserPrincipalName NVARCHAR(256)   NULL,
    AdUserSid         VARBINARY(85)   NULL,
    InsertTime        DATETIME        NOT NULL DEFAULT GETUTCDATE(),
    UpdateTime        DATETIME        NOT NULL DEFAULT GETUTCDATE(),
    Enabled           BIT             NOT NULL DEFAULT 1,
    SmtpUserAtHost    NVARCHAR(320)   NULL,
    AdDisplayName     NVARCHAR(512)   NULL,
    RoutingGroupId    UNIQUEIDENTIFIER NULL
);

-- [evidence] group and contact display names are binary: Export-CsUserData base64-encodes them (fg== is ~,
-- UTF-8) and RtcSetContact passes 0x for them. VARBINARY holding UTF-8 here; the default group is 0x7E.
-- [invented] the lengths; GroupNumber's type.
-- [undo] Version.
CREATE TABLE dbo.ContactGroup (
    OwnerId           ResourceId      NOT NULL,
    GroupNumber       INT             NOT NULL,
    DisplayName       VARBINARY(512)  NOT NULL,
    ExternalUri       VARBINARY(1024) NULL,
    Version           ROWVERSION      NOT NULL,
    PRIMARY KEY (OwnerId, GroupNumber)
);

-- [evidence] Contact(OwnerId, BuddyId), joined Contact.BuddyId = Resource.ResourceId; display name passed as 0x.
-- [invented] SubscribePresence (RtcSetContact passes 1 there), ContactExtension (RtcSetContact's second 0x).
CREATE TABLE dbo.Contact (
    OwnerId           ResourceId      NOT NULL,
    BuddyId           ResourceId      NOT NULL,
    DisplayName       VARBINARY(512)  NULL,
    SubscribePresence BIT             NOT NULL DEFAULT 1,
    ContactExtension  VARBINARY(MAX)  NULL,
    PRIMARY KEY (OwnerId, BuddyId)
);

-- [evidence] ContactGroupAssoc(OwnerId, BuddyId, GroupNumber), LEFT JOINed to Contact on (OwnerId, BuddyId).
CREATE TABLE dbo.ContactGroupAssoc (
    OwnerId           ResourceId      NOT NULL,
    BuddyId           ResourceId      NOT NULL,
    GroupNumber       INT             NOT NULL,
    PRIMARY KEY (OwnerId, BuddyId, GroupNumber)
);

CREATE INDEX IX_Contact_BuddyId ON dbo.Contact (BuddyId);
CREATE INDEX IX_ContactGroupAssoc_BuddyId ON dbo.ContactGroupAssoc (BuddyId);

-- [evidence] HomedResource(ResourceId, Unavailable, VersionContact) (version not stated). [invented] types.
CREATE TABLE dbo.HomedResource (
    ResourceId        ResourceId      NOT NULL PRIMARY KEY,
    Unavailable       BIT             NOT NULL DEFAULT 0,
    VersionContact    INT             NOT NULL DEFAULT 0
);

-- ---------------------------------------------------------------------------------------------------
-- Version markers. [Cisco] the names. [invented] the columns.
CREATE TABLE dbo.Container (
    OwnerId           ResourceId      NOT NULL,
    ContainerNum      INT             NOT NULL,
    Version           INT             NOT NULL DEFAULT 0,
    PRIMARY KEY (OwnerId, ContainerNum)
);

CREATE TABLE dbo.CertificateStore (
    CertificateId     INT             NOT NULL PRIMARY KEY,
    Thumbprint        VARCHAR(40)     NOT NULL,
    Certificate       VARBINARY(MAX)  NULL
);

CREATE TABLE dbo.ForestDirectory (
    ForestId          INT             NOT NULL PRIMARY KEY,
    ForestName        NVARCHAR(128)   NOT NULL
);

-- ---------------------------------------------------------------------------------------------------
-- Tables of Cisco's delete order. [Cisco] the table names. [invented] every column not named elsewhere here;
-- the "other side" columns (MemberId, SubscriberId, DelegateId) name ANOTHER user in that user's rows.
CREATE TABLE dbo.CachedContainerMember (
    OwnerId           ResourceId      NOT NULL,
    ContainerNum      INT             NOT NULL,
    MemberId          ResourceId      NOT NULL,
    CachedAt          DATETIME        NULL,
    PRIMARY KEY (OwnerId, ContainerNum, MemberId)
);

CREATE TABLE dbo.ContainerMemberUser (
    OwnerId           ResourceId      NOT NULL,
    ContainerNum      INT             NOT NULL,
    MemberId          ResourceId      NOT NULL,
    PRIMARY KEY (OwnerId, ContainerNum, MemberId)
);

CREATE TABLE dbo.PromptedSubscriber (
    OwnerId           ResourceId      NOT NULL,
    SubscriberId      ResourceId      NOT NULL,
    PromptedAt        DATETIME        NOT NULL,
    Acknowledged      BIT             NOT NULL DEFAULT 0,
    PRIMARY KEY (OwnerId, SubscriberId)
);

CREATE TABLE dbo.Delegate (
    OwnerId           ResourceId      NOT NULL,
    DelegateId        ResourceId      NOT NULL,
    DelegateType      SMALLINT        NOT NULL DEFAULT 0,
    PRIMARY KEY (OwnerId, DelegateId)
);

CREATE TABLE dbo.UserPolicy (
    ResourceId        ResourceId      NOT NULL,
    PolicyType        SMALLINT        NOT NULL,
    PolicyInstance    UNIQUEIDENTIFIER NULL,
    PRIMARY KEY (ResourceId, PolicyType)
);

-- [evidence] ResourcePhone(ResourceId, PhoneNum): no public sign of a PhoneType column.
CREATE TABLE dbo.ResourcePhone (
    ResourceId        ResourceId      NOT NULL,
    PhoneNum          NVARCHAR(128)   NOT NULL,
    PRIMARY KEY (ResourceId, PhoneNum)
);

-- [undo] ItemId's IDENTITY.
CREATE TABLE dbo.RtcItem (
    ItemId            BIGINT          IDENTITY(1, 1) NOT NULL PRIMARY KEY,
    ResourceId        ResourceId      NOT NULL,
    ItemType          INT             NOT NULL,
    ItemData          VARBINARY(MAX)  NULL,
    LastModified      DATETIME        NOT NULL DEFAULT GETUTCDATE()
);

CREATE INDEX IX_RtcItem_ResourceId ON dbo.RtcItem (ResourceId);

CREATE TABLE dbo.PUIDDirectory (
    ResourceId        ResourceId      NOT NULL PRIMARY KEY,
    PUID              BIGINT          NOT NULL,
    DeviceId          UNIQUEIDENTIFIER NULL
);

-- ---------------------------------------------------------------------------------------------------
-- Published presence. [evidence] PublishedStaticInstance(PublisherId, CategoryId, ContainerNum, Data) and
-- CategoryDef(CategoryId, Name); no public sign of a PublishedInstance table.
-- [invented] InstanceNum, the key, the types. [undo] DataSize, a computed column.
CREATE TABLE dbo.CategoryDef (
    CategoryId        INT             NOT NULL PRIMARY KEY,
    Name              NVARCHAR(64)    NOT NULL UNIQUE
);

CREATE TABLE dbo.PublishedStaticInstance (
    PublisherId       ResourceId      NOT NULL,
    CategoryId        INT             NOT NULL,
    ContainerNum      INT             NOT NULL,
    InstanceNum       BIGINT          NOT NULL DEFAULT 0,
    Data              VARBINARY(MAX)  NULL,
    DataSize          AS (DATALENGTH(Data)),
    PRIMARY KEY (PublisherId, CategoryId, ContainerNum, InstanceNum)
);

-- [invented] a table the product has never heard of, keyed by the user, that the homed-resource procedure
-- ALSO empties (a real procedure may well touch tables nobody listed). [undo] NoteId's IDENTITY, Version
-- (rowversion) and NoteSize (computed).
CREATE TABLE dbo.UserNote (
    NoteId            INT             IDENTITY(1, 1) NOT NULL PRIMARY KEY,
    OwnerId           ResourceId      NOT NULL,
    NoteText          VARBINARY(MAX)  NULL,
    NoteSize          AS (DATALENGTH(NoteText)),
    CreatedAt         DATETIME        NOT NULL DEFAULT GETUTCDATE(),
    Version           ROWVERSION      NOT NULL
);

CREATE INDEX IX_UserNote_OwnerId ON dbo.UserNote (OwnerId);

-- [invented] the table RtcpDeleteConferenceParticipantByEnterpriseId deletes from: its name is not public
-- (the reconstructed schemas call it ConferenceParticipant; a product that needs that name is wrong here).
CREATE TABLE dbo.ConferenceInvitee (
    ConferenceId      INT             NOT NULL,
    EnterpriseId      ResourceId      NOT NULL,
    InviteeRole       TINYINT         NOT NULL DEFAULT 0,
    PRIMARY KEY (ConferenceId, EnterpriseId)
);

-- ---------------------------------------------------------------------------------------------------
-- Stored procedures. [Cisco] the two names of the plan. [evidence] procedures take @_-prefixed parameters.
-- [invented] the parameter names (@_ResourceIdentity, not the reconstructed @_ResourceId), the alias type, the
-- tables each one empties, the return statuses and the definition text (the real one is not public).
--
-- PROCEDURE dbo.RtcpDeleteHomedResourceTransaction (@_ResourceIdentity ResourceId)
-- TOUCHES ContactGroupAssoc(OwnerId), Contact(OwnerId), ContactGroup(OwnerId), Container(OwnerId)
-- TOUCHES PublishedStaticInstance(PublisherId), HomedResource(ResourceId), UserNote(OwnerId)
--   Deletes the user's own homed data, the unknown UserNote rows included. Never the Resource row; never another
--   user's Contact row whose BuddyId is this user. Returns 1 when @_ResourceIdentity is not in Resource, else 0.
-- DEFINITION
-- | CREATE PROCEDURE [dbo].[RtcpDeleteHomedResourceTransaction]
-- |     @_ResourceIdentity ResourceId
-- | AS
-- | BEGIN
-- |     -- rtcsim: invented text, saying what rtcsim does (the real procedure is not public)
-- |     IF NOT EXISTS (SELECT 1 FROM dbo.Resource WHERE ResourceId = @_ResourceIdentity)
-- |         RETURN 1
-- |     DELETE FROM dbo.ContactGroupAssoc WHERE OwnerId = @_ResourceIdentity
-- |     DELETE FROM dbo.Contact WHERE OwnerId = @_ResourceIdentity
-- |     DELETE FROM dbo.ContactGroup WHERE OwnerId = @_ResourceIdentity
-- |     DELETE FROM dbo.Container WHERE OwnerId = @_ResourceIdentity
-- |     DELETE FROM dbo.PublishedStaticInstance WHERE PublisherId = @_ResourceIdentity
-- |     DELETE FROM dbo.HomedResource WHERE ResourceId = @_ResourceIdentity
-- |     DELETE FROM dbo.UserNote WHERE OwnerId = @_ResourceIdentity
-- |     RETURN 0
-- | END
--
-- PROCEDURE dbo.RtcpDeleteConferenceParticipantByEnterpriseId (@_EnterpriseIdentity ResourceId)
-- TOUCHES ConferenceInvitee(EnterpriseId)
--   @_EnterpriseIdentity is the user's ResourceId. Returns 0. Created WITH ENCRYPTION: OBJECT_DEFINITION is NULL.
-- DEFINITION ENCRYPTED
--
-- [evidence] RtcDeleteResource @_UserAtHost deletes a user completely, INCLUDING from others' contact lists.
-- rtcsim answers it with error 50000 (and changes nothing): the product must never call it.
-- PROCEDURE dbo.RtcDeleteResource (@_UserAtHost NVARCHAR(256))
-- DEFINITION ENCRYPTED
